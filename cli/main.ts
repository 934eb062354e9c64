import { Command } from 'commander';
import { simulateCommand } from './commands/simulate.js';
import { startCommand } from './commands/start.js';
import { statsCommand } from './commands/stats.js';

const program = new Command('saferoads')
  .description('Saferoads: real-time road-safety risk scoring from induction loops and weather stations')
  .showHelpAfterError()
  .addCommand(simulateCommand())
  .addCommand(statsCommand())
  .addCommand(startCommand());

await program.parseAsync(process.argv);

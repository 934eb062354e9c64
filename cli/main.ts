import { Command } from 'commander';

/**
 * Each command's module (and the packages behind it) loads only when that command runs, so
 * `saferoads stats` does not pay for the simulator's or the pipeline's imports.
 */
const commands: Record<string, () => Promise<Command>> = {
  simulate: async () => (await import('./commands/simulate.js')).simulateCommand(),
  'simulate-weather': async () => (await import('./commands/simulate-weather.js')).simulateWeatherCommand(),
  stats: async () => (await import('./commands/stats.js')).statsCommand(),
  start: async () => (await import('./commands/start.js')).startCommand(),
  dataset: async () => (await import('./commands/dataset.js')).datasetCommand(),
  score: async () => (await import('./commands/score.js')).scoreCommand(),
  backtest: async () => (await import('./commands/backtest.js')).backtestCommand(),
};

const program = new Command('saferoads')
  .description('Saferoads: real-time road-safety risk scoring from induction loops and weather stations')
  .showHelpAfterError();

const requested = process.argv[2];
const load = requested !== undefined && requested in commands ? [requested] : Object.keys(commands);
for (const name of load) program.addCommand(await commands[name]());

await program.parseAsync(process.argv);

// Preloaded (node --import) into a benchmarked child process: reports the process's CPU time
// (user + system, all threads) on stderr as it exits, for the parent to read.
import process from 'node:process';

process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\ncpu-seconds=${(user + system) / 1e6}\n`);
});

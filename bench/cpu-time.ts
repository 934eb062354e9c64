import { readFileSync } from 'node:fs';

/**
 * CPU seconds the calling thread has run (user + system), from /proc (Linux; NaN elsewhere). On a
 * shared VM, wall time also counts the time other processes held the core; this thread's CPU time
 * does not, and unlike process.cpuUsage() it leaves out V8's helper threads (concurrent GC).
 */
export function threadCpuSeconds(): number {
  let stat: string;
  try {
    stat = readFileSync('/proc/thread-self/stat', 'utf8');
  } catch {
    return Number.NaN;
  }
  // Fields after the command name (which may hold spaces), from field 3 on: utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

import { createWriteStream, openSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { OptionError } from './options.js';

/**
 * The stream a command writes NDJSON to: stdout, or a file opened up front, so that an unwritable
 * path is a usage error naming `option`, not a crash mid-run.
 */
export function openOutput(path: string | undefined, option = '--out'): Writable {
  if (path === undefined) {
    // `saferoads simulate | head` closes the pipe early: that is a normal end, not a crash.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
    return process.stdout;
  }
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (err) {
    throw new OptionError(option, `cannot write ${path}: ${(err as Error).message}`);
  }
  return createWriteStream(path, { fd });
}

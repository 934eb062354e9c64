import type { Command } from 'commander';
import { DeliveryError } from '../targets/sink.js';
import { OptionError } from './options.js';

/** Exit code for bad usage, as in most Unix tools. */
export const USAGE_EXIT = 2;
/** Exit code when records could not be delivered to --target. */
export const DELIVERY_EXIT = 1;
/** Exit code after Ctrl-C, as shells report it (128 + SIGINT). */
export const INTERRUPTED_EXIT = 130;
const DELIVERY_FAILED = 'saferoads.deliveryFailed';

/** For commander's exitOverride: its own usage errors exit 2 like ours, a failed delivery 1. */
export function exitCodeOf(err: { exitCode: number; code: string }): never {
  process.exit(err.exitCode === 0 ? 0 : err.code === DELIVERY_FAILED ? DELIVERY_EXIT : USAGE_EXIT);
}

/** Reports a bad option (exit 2) or rethrows anything else. */
export function usageError(command: Command, err: unknown): never {
  if (err instanceof OptionError) command.error(`error: option '${err.option}' ${err.message}`, { exitCode: USAGE_EXIT, code: 'saferoads.invalidOption' });
  throw err;
}

/** Reports a failed delivery (exit 1) or rethrows anything else. */
export function deliveryError(command: Command, err: unknown): never {
  if (!(err instanceof DeliveryError)) throw err;
  return command.error(`error: ${err.message}`, { exitCode: DELIVERY_EXIT, code: DELIVERY_FAILED });
}

/** The command's stderr line writer (commander's, so tests can capture it). */
export function warner(command: Command): (line: string) => void {
  const writeErr = command.configureOutput().writeErr ?? ((s: string) => process.stderr.write(s));
  return (line) => writeErr(`${line}\n`);
}

/** Ctrl-C while feeding a target: finish the current step and deliver it; a second one quits at once. */
export function interruptOnSigint(name: string, warn: (line: string) => void): { signal: AbortSignal; dispose: () => void } {
  const stop = new AbortController();
  const onSigint = () => {
    if (stop.signal.aborted) process.exit(INTERRUPTED_EXIT);
    warn(`${name}: stopping after this step and delivering what is buffered (Ctrl-C again to quit at once)`);
    stop.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: stop.signal, dispose: () => process.off('SIGINT', onSigint) };
}

import { createLogger, type Logger } from '../logger.js';

type ProcessEvent = 'SIGTERM' | 'SIGINT' | 'uncaughtException' | 'unhandledRejection';

/** The part of `process` runService uses; tests pass a fake. */
export interface ServiceProcess {
  on(event: ProcessEvent, listener: (reason?: unknown) => void): unknown;
  exit(code: number): void;
}

export interface RunServiceOptions {
  readonly name: string;
  /** The service's one logger; `createLogger(name)` when absent. */
  readonly log?: Logger;
  /** Builds and starts the service (connect, listen). A failure exits with code 1. */
  start(): Promise<void>;
  /** Stops it gracefully (stop accepting, finish in-flight work, flush, disconnect). Called once. */
  stop(): Promise<void>;
  /** Longest a graceful stop may take before the process exits anyway, with code 1. */
  readonly stopTimeoutMs?: number;
  readonly process?: ServiceProcess;
}

/** Below Kubernetes' default 30 s grace period, so our own timeout, with its log line, comes before SIGKILL. */
export const DEFAULT_STOP_TIMEOUT_MS = 25_000;

/**
 * Runs a service's main: starts it, and on SIGTERM or SIGINT stops it once, within a timeout, then
 * exits 0. A second signal exits 1 at once (an operator who presses Ctrl-C twice means it). An
 * uncaught exception or unhandled rejection is logged and exits 1: the process state is unknown,
 * and the orchestrator restarts it. Resolves once the service has started.
 */
export async function runService(opts: RunServiceOptions): Promise<void> {
  const proc = opts.process ?? process;
  const log = opts.log ?? createLogger(opts.name);
  const timeoutMs = opts.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  let started: Promise<void> = Promise.resolve();
  let stopping = false;

  const stopGracefully = async (signal: string) => {
    log.info({ signal, timeoutMs }, 'stopping');
    const timer = setTimeout(() => {
      log.error({ timeoutMs }, 'graceful stop did not finish in time: exiting');
      proc.exit(1);
    }, timeoutMs);
    try {
      // A signal during start-up: stop what start() built, once it has built it. A failed start
      // has already logged and exited.
      if (!(await started.then(() => true, () => false))) return;
      await opts.stop();
      log.info('stopped');
      proc.exit(0);
    } catch (err) {
      log.error({ err }, 'graceful stop failed');
      proc.exit(1);
    } finally {
      clearTimeout(timer);
    }
  };

  const onSignal = (signal: string) => () => {
    if (stopping) {
      log.warn({ signal }, 'second signal during graceful stop: exiting now');
      proc.exit(1);
      return;
    }
    stopping = true;
    void stopGracefully(signal);
  };
  proc.on('SIGTERM', onSignal('SIGTERM'));
  proc.on('SIGINT', onSignal('SIGINT'));
  proc.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception: exiting');
    proc.exit(1);
  });
  proc.on('unhandledRejection', (reason) => {
    log.fatal({ err: reason }, 'unhandled promise rejection: exiting');
    proc.exit(1);
  });

  log.info('starting');
  const t0 = performance.now();
  started = opts.start();
  try {
    await started;
  } catch (err) {
    log.fatal({ err }, 'start failed: exiting');
    proc.exit(1);
    return;
  }
  log.info({ startMs: Math.round(performance.now() - t0) }, 'started');
}

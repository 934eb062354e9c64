import { isRetriable } from './errors.js';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Multiplier between consecutive delays. */
  factor?: number;
  /** Which errors are worth another attempt; by default those marked retriable. */
  retryOn?: (err: unknown) => boolean;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  /** Injected for tests; Math.random by default. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter: the delay before attempt n+1 is uniform in [0, min(max, initial*factor^(n-1))]. */
export function backoffDelay(attempt: number, opts: Pick<RetryOptions, 'initialDelayMs' | 'maxDelayMs' | 'factor'>, random: () => number): number {
  const cap = Math.min(opts.maxDelayMs, opts.initialDelayMs * Math.pow(opts.factor ?? 2, attempt - 1));
  return Math.round(cap * random());
}

/** The one retry helper: runs `fn` until it succeeds, the error is not retriable, or attempts run out. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const retryOn = opts.retryOn ?? isRetriable;
  const random = opts.random ?? Math.random;
  const sleep = opts.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= opts.attempts || !retryOn(err)) throw err;
      const delay = backoffDelay(attempt, opts, random);
      opts.onRetry?.(err, attempt, delay);
      await sleep(delay);
    }
  }
}

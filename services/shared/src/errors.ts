/**
 * Every error Saferoads raises on purpose carries a stable code, its cause and whether a retry can
 * help (after kafkajs' errors.js and platformatic/kafka's errors.ts).
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'NETWORK_INVALID'
  | 'RECORD_INVALID'
  | 'STATE_INVARIANT'
  /** A saved state that cannot be read back: truncated, or written by another layout or configuration. */
  | 'STATE_CORRUPT'
  | 'BUS_UNAVAILABLE'
  | 'BUS_CLOSED'
  | 'IO_FAILED';

export class SaferoadsError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, opts: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SaferoadsError';
    this.code = code;
    this.retriable = opts.retriable ?? false;
  }
}

/** Configuration failed validation when a component was built: never retriable. */
export class ConfigError extends SaferoadsError {
  readonly problems: readonly string[];

  constructor(component: string, problems: readonly string[]) {
    super('CONFIG_INVALID', `invalid ${component} configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function isRetriable(err: unknown): boolean {
  return err instanceof SaferoadsError && err.retriable;
}

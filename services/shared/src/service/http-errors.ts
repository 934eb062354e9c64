import { STATUS_CODES } from 'node:http';

/** One thing wrong with a request (or one failing readiness check), as precisely as it is known. */
export interface ErrorDetail {
  /** The request field at fault: a JSON path, `(body)`, `(record)` or a header name. */
  readonly field?: string;
  /** 0-based position of the record in a batch. */
  readonly index?: number;
  /** The readiness check that failed. */
  readonly check?: string;
  readonly reason: string;
}

/** The one shape of every 4xx and 5xx response body of every Saferoads service. */
export interface ErrorBody {
  readonly statusCode: number;
  /** The status text, e.g. "Bad Request". */
  readonly error: string;
  /** What went wrong and, where the client can act on it, what to do. */
  readonly message: string;
  readonly details?: readonly ErrorDetail[];
}

export function errorBody(statusCode: number, message: string, details?: readonly ErrorDetail[]): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, ...(details && details.length > 0 && { details }) };
}

/**
 * An error a route throws on purpose: the error handler answers with its status, an ErrorBody and
 * its headers (e.g. Retry-After). `extra` adds fields beside the ErrorBody's, for a route whose
 * clients expect a report in the error response too.
 */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly details: readonly ErrorDetail[] | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(
    statusCode: number,
    message: string,
    opts: { details?: readonly ErrorDetail[]; headers?: Record<string, string>; extra?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.details = opts.details;
    this.headers = opts.headers ?? {};
    this.extra = opts.extra ?? {};
  }

  body(): ErrorBody & Readonly<Record<string, unknown>> {
    const base = errorBody(this.statusCode, this.message, this.details);
    // base twice: its keys come first in the JSON, and no extra field can overwrite them.
    return { ...base, ...this.extra, ...base };
  }
}

import type { FieldError } from '../contracts/validate.js';
import type { BatchEntry } from './parse.js';

/** A record refused by a gateway, with its reason code (the metric label) and field errors. */
export interface RejectedRecord<R extends string = string> {
  readonly index: number;
  readonly reason: R;
  readonly errors: readonly FieldError[];
  /** The record as it arrived (an NDJSON line, or the array element re-serialised), for the DLQ. */
  readonly raw: string;
}

export interface CheckedBatch<A, R extends string = string> {
  readonly accepted: readonly A[];
  readonly rejected: readonly RejectedRecord<R>[];
}

/** One parsed value's verdict: the accepted record, or the reason code and field errors. */
export type Checked<A, R extends string> = { readonly ok: true; readonly record: A } | { readonly ok: false; readonly reason: R; readonly errors: FieldError[] };

/**
 * Checks every entry of a batch on its own: an NDJSON line that is not JSON is refused as
 * `malformed`, every other value goes through `check` (with its NDJSON line, when it had one).
 * Valid records beside refused ones are kept.
 */
export function checkEntries<A, R extends string>(
  entries: readonly BatchEntry[],
  check: (value: unknown, index: number, line: string | undefined) => Checked<A, R>,
): CheckedBatch<A, R | 'malformed'> {
  const accepted: A[] = [];
  const rejected: RejectedRecord<R | 'malformed'>[] = [];
  for (const e of entries) {
    if (e.kind === 'malformed') {
      rejected.push({ index: e.index, reason: 'malformed', errors: [{ field: '(record)', reason: e.reason }], raw: e.line });
      continue;
    }
    const c = check(e.value, e.index, e.line);
    if (c.ok) accepted.push(c.record);
    else rejected.push({ index: e.index, reason: c.reason, errors: c.errors, raw: e.line ?? JSON.stringify(e.value) });
  }
  return { accepted, rejected };
}

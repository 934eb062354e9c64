import type { CheckedBatch } from './checked.js';

export interface RecordError {
  readonly index: number;
  readonly field: string;
  readonly reason: string;
}

/** What a client is told about its batch: a record may have several errors, one per field. */
export interface BatchReport {
  readonly accepted: number;
  readonly rejected: number;
  readonly errors: readonly RecordError[];
  /** Errors left out of `errors` past the reporting cap; absent when none were. */
  readonly errorsOmitted?: number;
}

/** Capped, so a batch of 50,000 bad records does not answer with a response larger than itself. */
export function batchReport(batch: CheckedBatch<unknown>, maxErrors: number): BatchReport {
  const errors: RecordError[] = [];
  let omitted = 0;
  for (const r of batch.rejected) {
    for (const e of r.errors) {
      if (errors.length < maxErrors) errors.push({ index: r.index, field: e.field, reason: e.reason });
      else omitted++;
    }
  }
  return { accepted: batch.accepted.length, rejected: batch.rejected.length, errors, ...(omitted > 0 && { errorsOmitted: omitted }) };
}

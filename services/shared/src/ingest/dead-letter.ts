import type { BusRecord } from '../bus/port.js';
import { formatFieldErrors } from '../contracts/validate.js';
import type { DeadLetter } from '../topics.js';
import type { RejectedRecord } from './checked.js';

/**
 * Longest `raw` kept in a dead letter. A refused record can be as long as the body limit, far
 * over Kafka's default 1 MB message size: a dead letter too large to write would fail the batch
 * on every retry.
 */
export const MAX_DEAD_LETTER_RAW_CHARS = 16_384;

/** A refused record as its `<topic>.dlq` record: no key, the reasons and the raw record. */
export function deadLetterRecord(r: Pick<RejectedRecord, 'errors' | 'raw'>, source: DeadLetter['source'] = null): BusRecord {
  const truncated = r.raw.length > MAX_DEAD_LETTER_RAW_CHARS;
  const reason = formatFieldErrors(r.errors) + (truncated ? ` (raw truncated to ${MAX_DEAD_LETTER_RAW_CHARS} of ${r.raw.length} characters)` : '');
  const letter: DeadLetter = { reason, errors: r.errors, source, raw: truncated ? r.raw.slice(0, MAX_DEAD_LETTER_RAW_CHARS) : r.raw };
  return { key: null, value: JSON.stringify(letter) };
}

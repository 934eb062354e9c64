import type { BusRecord } from '@saferoads/shared/bus';
import { DetectionSchema, formatFieldErrors, type Detection } from '@saferoads/shared/contracts';
import type { DeadLetter } from '@saferoads/shared/topics';
import type { AcceptedRecord, RejectedRecord } from './check.js';

const DETECTION_FIELDS = Object.keys(DetectionSchema.properties) as (keyof Detection)[];

/**
 * Longest `raw` kept in a dead letter. A refused record can be as long as the body limit, far
 * over Kafka's default 1 MB message size: a dead letter too large to write would fail the batch
 * on every retry.
 */
export const MAX_DEAD_LETTER_RAW_CHARS = 16_384;

/**
 * The detection with the contract's fields only: fields the contract does not know are dropped,
 * so a client cannot push arbitrary (or oversized) data through a valid record.
 */
function contractFields(d: Detection): Detection {
  const out: Record<string, unknown> = {};
  for (const k of DETECTION_FIELDS) if (d[k] !== undefined) out[k] = d[k];
  return out as Detection;
}

/** loop.detections: keyed by segment, so a segment's detections share a partition; event time as the timestamp. */
export function detectionRecord(a: AcceptedRecord): BusRecord {
  return { key: a.segmentId, value: JSON.stringify(contractFields(a.detection)), timestamp: a.detection.ts };
}

export function deadLetterRecord(r: RejectedRecord): BusRecord {
  const truncated = r.raw.length > MAX_DEAD_LETTER_RAW_CHARS;
  const reason = formatFieldErrors(r.errors) + (truncated ? ` (raw truncated to ${MAX_DEAD_LETTER_RAW_CHARS} of ${r.raw.length} characters)` : '');
  const letter: DeadLetter = { reason, errors: r.errors, source: null, raw: truncated ? r.raw.slice(0, MAX_DEAD_LETTER_RAW_CHARS) : r.raw };
  return { key: null, value: JSON.stringify(letter) };
}

import { detectionValidator, type Detection, type FieldError } from '@saferoads/shared/contracts';
import type { Network } from '@saferoads/shared/network';
import type { BatchEntry } from './parse.js';

/** Why a record was refused: the `reason` label of the rejected-records counter. */
export const REJECT_REASONS = ['schema', 'unknown_detector', 'lane_mismatch', 'malformed'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface AcceptedRecord {
  readonly index: number;
  readonly detection: Detection;
  readonly segmentId: string;
}

export interface RejectedRecord {
  readonly index: number;
  readonly reason: RejectReason;
  readonly errors: readonly FieldError[];
  /** The record as it arrived (an NDJSON line, or the array element re-serialised), for the DLQ. */
  readonly raw: string;
}

export interface CheckedBatch {
  readonly accepted: readonly AcceptedRecord[];
  readonly rejected: readonly RejectedRecord[];
}

type Checked = { ok: true; record: AcceptedRecord } | { ok: false; reason: RejectReason; errors: FieldError[] };

/** One record against the contract, then against the network: its detector must exist, in that lane. */
function checkValue(index: number, value: unknown, network: Network): Checked {
  const v = detectionValidator.check(value);
  if (!v.ok) return { ok: false, reason: 'schema', errors: v.errors };
  const d = v.value;
  const loc = network.detectors.get(d.detectorId);
  if (!loc) return { ok: false, reason: 'unknown_detector', errors: [{ field: 'detectorId', reason: `unknown detector ${JSON.stringify(d.detectorId)}: not in the road network "${network.name}"` }] };
  if (loc.lane !== d.lane) return { ok: false, reason: 'lane_mismatch', errors: [{ field: 'lane', reason: `detector ${d.detectorId} is in lane ${loc.lane}, not ${d.lane}` }] };
  return { ok: true, record: { index, detection: d, segmentId: loc.segmentId } };
}

export function checkBatch(entries: readonly BatchEntry[], network: Network): CheckedBatch {
  const accepted: AcceptedRecord[] = [];
  const rejected: RejectedRecord[] = [];
  for (const e of entries) {
    if (e.kind === 'malformed') {
      rejected.push({ index: e.index, reason: 'malformed', errors: [{ field: '(record)', reason: e.reason }], raw: e.line });
      continue;
    }
    const c = checkValue(e.index, e.value, network);
    if (c.ok) accepted.push(c.record);
    else rejected.push({ index: e.index, reason: c.reason, errors: c.errors, raw: e.line ?? JSON.stringify(e.value) });
  }
  return { accepted, rejected };
}

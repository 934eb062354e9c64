import { DetectionSchema, detectionValidator, type Detection } from '@saferoads/shared/contracts';
import { checkEntries, onlyContractFields, type BatchEntry, type Checked, type CheckedBatch } from '@saferoads/shared/ingest';
import type { Network } from '@saferoads/shared/network';

/** Why a record was refused: the `reason` label of the rejected-records counter. */
export const REJECT_REASONS = ['schema', 'unknown_detector', 'lane_mismatch', 'malformed'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface AcceptedRecord {
  readonly index: number;
  readonly detection: Detection;
  readonly segmentId: string;
  /** The NDJSON line it came as, when that holds the contract's fields and no others: written as it is. */
  readonly line?: string;
}

/** Whether every key of the parsed record is one of the contract's (so its line needs no rewriting). */
const onlyContractKeys = onlyContractFields(DetectionSchema);

/** One record against the contract, then against the network: its detector must exist, in that lane. */
function checkValue(value: unknown, index: number, line: string | undefined, network: Network): Checked<AcceptedRecord, RejectReason> {
  const v = detectionValidator.check(value);
  if (!v.ok) return { ok: false, reason: 'schema', errors: v.errors };
  const d = v.value;
  const loc = network.detectors.get(d.detectorId);
  if (!loc) return { ok: false, reason: 'unknown_detector', errors: [{ field: 'detectorId', reason: `unknown detector ${JSON.stringify(d.detectorId)}: not in the road network "${network.name}"` }] };
  if (loc.lane !== d.lane) return { ok: false, reason: 'lane_mismatch', errors: [{ field: 'lane', reason: `detector ${d.detectorId} is in lane ${loc.lane}, not ${d.lane}` }] };
  // Rewriting a line costs more than checking it (JSON.stringify of a new object per detection).
  if (line !== undefined && onlyContractKeys(d)) return { ok: true, record: { index, detection: d, segmentId: loc.segmentId, line } };
  return { ok: true, record: { index, detection: d, segmentId: loc.segmentId } };
}

export function checkBatch(entries: readonly BatchEntry[], network: Network): CheckedBatch<AcceptedRecord, RejectReason> {
  return checkEntries(entries, (value, index, line) => checkValue(value, index, line, network));
}

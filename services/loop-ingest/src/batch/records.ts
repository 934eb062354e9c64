import type { BusRecord } from '@saferoads/shared/bus';
import { DetectionSchema, type Detection } from '@saferoads/shared/contracts';
import type { AcceptedRecord } from './check.js';

const DETECTION_FIELDS = Object.keys(DetectionSchema.properties) as (keyof Detection)[];

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

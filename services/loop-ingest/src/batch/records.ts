import type { BusRecord } from '@saferoads/shared/bus';
import { DetectionSchema } from '@saferoads/shared/contracts';
import { contractFields } from '@saferoads/shared/ingest';
import type { AcceptedRecord } from './check.js';

const detectionFields = contractFields(DetectionSchema);

/** loop.detections: keyed by segment, so a segment's detections share a partition; event time as the timestamp. */
export function detectionRecord(a: AcceptedRecord): BusRecord {
  return { key: a.segmentId, value: JSON.stringify(detectionFields(a.detection)), timestamp: a.detection.ts };
}

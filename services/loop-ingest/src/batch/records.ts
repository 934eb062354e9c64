import type { BusRecord } from '@saferoads/shared/bus';
import { DetectionSchema } from '@saferoads/shared/contracts';
import { contractFields } from '@saferoads/shared/ingest';
import type { AcceptedRecord } from './check.js';

const detectionFields = contractFields(DetectionSchema);

/** A detection's JSON: its NDJSON line when that holds only contract fields, else the contract's fields re-serialised. */
const detectionText = (a: AcceptedRecord): string => a.line ?? JSON.stringify(detectionFields(a.detection));

/** loop.detections: keyed by segment, so a segment's detections share a partition; event time as the timestamp. */
export function detectionRecord(a: AcceptedRecord): BusRecord {
  return { key: a.segmentId, value: detectionText(a), timestamp: a.detection.ts };
}

/** How a batch's detections are packed into loop.detections records (docs/loop-ingest.md). */
export interface RecordPacking {
  /** Most detections in one record; 1 is DESIGN.md's one vehicle per record. */
  readonly detectionsPerRecord: number;
  /** Most event time between a record's first and last detection. */
  readonly recordSpanMs: number;
}

interface Group {
  readonly segmentId: string;
  minTs: number;
  maxTs: number;
  readonly lines: string[];
}

/**
 * A batch's loop.detections records. With one detection per record, each is its own record (the
 * contract DESIGN.md gives the topic). With more, a segment's detections of the batch share
 * records, as NDJSON lines in the batch's order: Kafka's cost is mostly per record (kafkajs
 * encodes each in JavaScript, the broker validates each), and a controller's batch holds tens of
 * detections per segment. Records come out in the order of their first detection, and each spans
 * at most `recordSpanMs` of event time, so packing reorders a partition's detections by at most
 * that much (a segment's keep their order): a detection is late only once its window has closed,
 * so while the span plus the feed's own disorder stays under traffic-stats' out-of-orderness plus
 * grace (15 s by default), packed and single records give the same windows.
 */
export function detectionRecords(accepted: readonly AcceptedRecord[], packing: RecordPacking): BusRecord[] {
  if (packing.detectionsPerRecord === 1) return accepted.map(detectionRecord);
  const open = new Map<string, Group>();
  const groups: Group[] = [];
  for (const a of accepted) {
    const ts = a.detection.ts;
    let g = open.get(a.segmentId);
    if (g === undefined || g.lines.length >= packing.detectionsPerRecord || Math.max(ts, g.maxTs) - Math.min(ts, g.minTs) > packing.recordSpanMs) {
      g = { segmentId: a.segmentId, minTs: ts, maxTs: ts, lines: [] };
      open.set(a.segmentId, g);
      groups.push(g);
    }
    g.lines.push(detectionText(a));
    if (ts < g.minTs) g.minTs = ts;
    if (ts > g.maxTs) g.maxTs = ts;
  }
  // The latest event time: what Kafka's time-based retention should keep the record for.
  return groups.map((g) => ({ key: g.segmentId, value: g.lines.join('\n'), timestamp: g.maxTs }));
}

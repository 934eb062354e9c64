import type { Detection } from '@saferoads/shared';
import type { Network } from '@saferoads/shared/network';
import { detectionLine } from '../ndjson.js';
import type { DetectionBatch } from '../types.js';
import { DeliveryError } from './sink.js';

/**
 * How one simulator's batches travel to a target: the records of a batch, each as one NDJSON line
 * (the bytes --out writes, the gateway reads and Kafka stores), its key and its event time. The
 * sinks are the same for every simulator; only the format differs.
 */
export interface RecordFormat<B, T> {
  /** The records of a batch, in delivery order. */
  records(batch: B): readonly T[];
  /** One record's NDJSON line, without the newline. */
  line(record: T): string;
  /** Its Kafka key, which also keeps its records in order over HTTP; throws DeliveryError for a record that has none. */
  key(record: T): string;
  /** Over HTTP, the lane of a record key() would refuse (the gateway then says what is wrong with it). */
  laneKey?(record: T): string;
  /** Its event time, epoch ms (the Kafka timestamp). */
  timestamp(record: T): number;
}

/** Detections: keyed by the segment of their detector, as the loop ingest gateway keys them. `topic` names the key's use in errors. */
export function detectionFormat(network: Network, topic?: string): RecordFormat<DetectionBatch, Detection> {
  const segmentOf = (d: Detection) => network.detectors.get(d.detectorId)?.segmentId;
  return {
    records: (b) => b.detections,
    line: detectionLine,
    key: (d) => {
      const segmentId = segmentOf(d);
      // The simulator only reports the network's own detectors: a miss is a bug, not bad input.
      if (segmentId === undefined) throw new DeliveryError(`detector "${d.detectorId}" is not in the road network "${network.name}", so its key${topic === undefined ? '' : ` for ${topic}`} is unknown`);
      return segmentId;
    },
    laneKey: (d) => segmentOf(d) ?? d.detectorId,
    timestamp: (d) => d.ts,
  };
}

/** Detection lines only, for NDJSON output, which needs no network. */
export const DETECTION_LINES: Pick<RecordFormat<DetectionBatch, Detection>, 'records' | 'line'> = { records: (b) => b.detections, line: detectionLine };

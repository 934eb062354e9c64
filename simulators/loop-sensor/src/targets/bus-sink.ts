import type { BusProducer, BusRecord } from '@saferoads/shared/bus';
import type { Network } from '@saferoads/shared/network';
import { detectionLine } from '../ndjson.js';
import type { DetectionBatch } from '../types.js';
import { SendQueue } from './send-queue.js';
import { DeliveryError, type DetectionSink, type SinkStats } from './sink.js';

/**
 * Most key and value bytes in one send: Kafka refuses a record batch over the broker's
 * message.max.bytes (1 MB by default) and kafkajs does not split a send (as the gateway does).
 */
export const MAX_SEND_BYTES = 512 * 1024;

export interface BusSinkOptions {
  /** The destination as messages name it, e.g. kafka://broker:9092. */
  readonly name: string;
  readonly producer: BusProducer;
  readonly topic: string;
  /** Maps each detector to its segment, the record key. */
  readonly network: Network;
  /** Most records per send. */
  readonly batchSize: number;
  /** Runs after the producer is closed, e.g. closing the bus it came from. */
  readonly onClose?: () => Promise<void>;
}

/**
 * Produces detections to a topic as the gateway would: key segmentId (one segment, one
 * partition), value the detection's JSON in contract field order, timestamp its ts. One send at
 * a time, in simulated order, so each partition gets its records in order.
 */
export class BusSink implements DetectionSink {
  readonly name: string;
  private readonly queue: SendQueue<BusRecord>;
  private counts = { sent: 0, requests: 0, retries: 0 };

  constructor(private readonly opts: BusSinkOptions) {
    this.name = `${opts.name} topic ${opts.topic}`;
    this.queue = new SendQueue<BusRecord>({
      lanes: 1,
      maxItems: opts.batchSize,
      maxBytes: MAX_SEND_BYTES,
      sizeOf: (r) => Buffer.byteLength(r.value) + Buffer.byteLength(r.key ?? ''),
      send: (records) => this.send(records),
      maxWaiting: 2 * opts.batchSize,
    });
  }

  async write(batch: DetectionBatch): Promise<void> {
    const { network, topic } = this.opts;
    for (const d of batch.detections) {
      const at = network.detectors.get(d.detectorId);
      // The simulator only reports the network's own detectors: a miss is a bug, not bad input.
      if (!at) throw new DeliveryError(`detector "${d.detectorId}" is not in the road network "${network.name}", so its key for ${topic} is unknown`);
      this.queue.enqueue(0, { key: at.segmentId, value: detectionLine(d), timestamp: d.ts });
    }
    await this.queue.dispatch();
  }

  async close(): Promise<void> {
    try {
      await this.queue.drain();
    } finally {
      await this.opts.producer.close();
      await this.opts.onClose?.();
    }
  }

  stats(): SinkStats {
    return { ...this.counts };
  }

  private async send(records: BusRecord[]): Promise<void> {
    try {
      // The producer retries by itself (Kafka: KAFKA_RETRIES); what reaches us has exhausted them.
      await this.opts.producer.send(this.opts.topic, records);
    } catch (err) {
      throw new DeliveryError(`${this.name}: could not write ${records.length} records: ${(err as Error).message}`);
    }
    this.counts.sent += records.length;
    this.counts.requests++;
  }
}

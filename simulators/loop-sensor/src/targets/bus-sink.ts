import type { Detection } from '@saferoads/shared';
import type { BusProducer, BusRecord } from '@saferoads/shared/bus';
import type { Network } from '@saferoads/shared/network';
import type { DetectionBatch } from '../types.js';
import type { RecordFormat } from './format.js';
import { formatOf } from './http-sink.js';
import { SendQueue } from './send-queue.js';
import { DeliveryError, type RecordSink, type SinkStats } from './sink.js';

/**
 * Most key and value bytes in one send: Kafka refuses a record batch over the broker's
 * message.max.bytes (1 MB by default) and kafkajs does not split a send (as the gateway does).
 */
export const MAX_SEND_BYTES = 512 * 1024;

export interface BusSinkOptions<B = DetectionBatch, T = Detection> {
  /** The destination as messages name it, e.g. kafka://broker:9092. */
  readonly name: string;
  readonly producer: BusProducer;
  readonly topic: string;
  /** Detections: maps each detector to its segment, the record key. */
  readonly network?: Network;
  /** Other records than detections: their lines, keys and timestamps. */
  readonly format?: RecordFormat<B, T>;
  /** Most records per send. */
  readonly batchSize: number;
  /** Runs after the producer is closed, e.g. closing the bus it came from. */
  readonly onClose?: () => Promise<void>;
}

/**
 * Produces records to a topic as their gateway would: detections keyed by segmentId (one
 * segment, one partition), value the record's JSON in contract field order, timestamp its event
 * time. One send at a time, in simulated order, so each partition gets its records in order.
 */
export class BusSink<B = DetectionBatch, T = Detection> implements RecordSink<B> {
  readonly name: string;
  private readonly queue: SendQueue<BusRecord>;
  private readonly format: RecordFormat<B, T>;
  private counts = { sent: 0, requests: 0, retries: 0 };

  constructor(private readonly opts: BusSinkOptions<B, T>) {
    this.name = `${opts.name} topic ${opts.topic}`;
    this.format = formatOf(opts, opts.topic);
    this.queue = new SendQueue<BusRecord>({
      lanes: 1,
      maxItems: opts.batchSize,
      maxBytes: MAX_SEND_BYTES,
      sizeOf: (r) => Buffer.byteLength(r.value) + Buffer.byteLength(r.key ?? ''),
      send: (records) => this.send(records),
      maxWaiting: 2 * opts.batchSize,
    });
  }

  async write(batch: B): Promise<void> {
    const f = this.format;
    for (const r of f.records(batch)) this.queue.enqueue(0, { key: f.key(r), value: f.line(r), timestamp: f.timestamp(r) });
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

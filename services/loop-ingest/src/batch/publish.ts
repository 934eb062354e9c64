import type { BusProducer, BusRecord } from '@saferoads/shared/bus';
import type { IngestMetrics } from '../metrics.js';

/**
 * Most key and value bytes in one send. Kafka refuses a record batch over the broker's
 * message.max.bytes (1 MB by default) and kafkajs does not split a send, so a 5 MB body is
 * written in several sends, one after another (which keeps each segment's records in order).
 */
export const MAX_SEND_BYTES = 512 * 1024;

export function chunkBySize(records: readonly BusRecord[], maxBytes: number): BusRecord[][] {
  const chunks: BusRecord[][] = [];
  let chunk: BusRecord[] = [];
  let bytes = 0;
  for (const r of records) {
    const size = Buffer.byteLength(r.value) + (r.key === null ? 0 : Buffer.byteLength(r.key));
    if (chunk.length > 0 && bytes + size > maxBytes) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(r);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

async function sendTopic(producer: BusProducer, topic: string, records: readonly BusRecord[], metrics: IngestMetrics): Promise<void> {
  if (records.length === 0) return;
  const done = metrics.produceSeconds.startTimer({ topic });
  try {
    for (const chunk of chunkBySize(records, MAX_SEND_BYTES)) await producer.send(topic, chunk);
    done({ outcome: 'ok' });
  } catch (err) {
    done({ outcome: 'error' });
    throw err;
  }
}

export interface PublishTarget {
  readonly producer: BusProducer;
  readonly metrics: IngestMetrics;
  readonly topics: { readonly detections: string; readonly dlq: string };
}

/**
 * Writes a batch's detections and dead letters; resolves once the bus has all of them (for
 * Kafka: acknowledged by every in-sync replica). Both topics are written at once; on failure it
 * waits for the other write to settle too, so nothing of the batch is still in flight when the
 * client is told to retry, then throws the first error.
 */
export async function publishBatch(target: PublishTarget, records: { detections: readonly BusRecord[]; deadLetters: readonly BusRecord[] }): Promise<void> {
  const results = await Promise.allSettled([
    sendTopic(target.producer, target.topics.detections, records.detections, target.metrics),
    sendTopic(target.producer, target.topics.dlq, records.deadLetters, target.metrics),
  ]);
  for (const r of results) if (r.status === 'rejected') throw r.reason;
}

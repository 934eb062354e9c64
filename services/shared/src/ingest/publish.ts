import type { BusProducer, BusRecord, OutputRecords } from '../bus/port.js';
import type { Histogram } from '../service/metrics.js';

/**
 * Most key and value bytes in one send. Kafka refuses a record batch over the broker's
 * message.max.bytes (1 MB by default) and kafkajs does not split a send, so a 5 MB body is
 * written in several sends, one after another (which keeps each key's records in order).
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

export interface PublishTarget {
  readonly producer: BusProducer;
  /** Time for the bus to acknowledge one topic's records, by topic and outcome (ok, error). */
  readonly produceSeconds: Histogram<'topic' | 'outcome'>;
}

async function sendTopic(target: PublishTarget, { topic, records }: OutputRecords): Promise<void> {
  if (records.length === 0) return;
  const done = target.produceSeconds.startTimer({ topic });
  try {
    for (const chunk of chunkBySize(records, MAX_SEND_BYTES)) await target.producer.send(topic, chunk);
    done({ outcome: 'ok' });
  } catch (err) {
    done({ outcome: 'error' });
    throw err;
  }
}

/**
 * Writes a batch's records to their topics (the records and their dead letters); resolves once
 * the bus has all of them (for Kafka: acknowledged by every in-sync replica). The topics are
 * written at once; on failure it waits for the other writes to settle too, so nothing of the
 * batch is still in flight when the client is told to retry, then throws the first error.
 */
export async function publishBatch(target: PublishTarget, outputs: readonly OutputRecords[]): Promise<void> {
  const results = await Promise.allSettled(outputs.map((o) => sendTopic(target, o)));
  for (const r of results) if (r.status === 'rejected') throw r.reason;
}

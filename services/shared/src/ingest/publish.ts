import type { BusProducer, OutputRecords } from '../bus/port.js';
import type { Histogram } from '../service/metrics.js';

export { MAX_SEND_BYTES, chunkBySize } from '../bus/chunk.js';
import { MAX_SEND_BYTES, chunkBySize } from '../bus/chunk.js';

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

import type { InProcessBus } from '../bus/in-process.js';
import type { ConsumedRecord } from '../bus/port.js';

export interface ReadRecord extends ConsumedRecord {
  readonly partition: number;
}

/** Every record on `topic` of an in-process bus, by partition then offset, read through a consumer group of its own. */
export async function readTopic(bus: InProcessBus, topic: string): Promise<ReadRecord[]> {
  const groupId = `test-reader-${Math.random().toString(36).slice(2)}`;
  const total = await bus.lag(groupId, topic);
  if (total === 0) return [];
  const got: ReadRecord[] = [];
  let allRead: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allRead = resolve));
  const consumer = bus.consumer({ groupId, topics: [topic], fromBeginning: true });
  const running = consumer.run(async (batch) => {
    for (const r of batch.records) got.push({ ...r, partition: batch.partition });
    if (got.length >= total) allRead();
  });
  await done;
  await consumer.stop();
  await running;
  return got.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

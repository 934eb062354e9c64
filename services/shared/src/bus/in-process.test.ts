import { describe, expect, it } from 'vitest';
import type { ConsumedBatch } from './port.js';
import { InProcessBus } from './in-process.js';
import { partitionFor } from './partitioner.js';

describe('InProcessBus', () => {
  it('keeps per-key order on the partition Kafka would choose and resumes a group from its commit', async () => {
    const bus = new InProcessBus({ maxBatch: 2 });
    await bus.ensureTopics([{ name: 't', partitions: 3 }]);
    const producer = bus.producer();
    await producer.send('t', ['a', 'b', 'c', 'd', 'e'].map((v, i) => ({ key: i % 2 ? 'seg-1' : 'seg-2', value: v })));
    const seen: ConsumedBatch[] = [];
    const c1 = bus.consumer({ groupId: 'g', topics: ['t'], fromBeginning: true });
    const done = c1.run(async (b) => {
      seen.push(b);
      if (seen.reduce((n, x) => n + x.records.length, 0) >= 5) void c1.stop();
    });
    await done;
    const byPartition = new Map<number, string[]>();
    for (const b of seen) byPartition.set(b.partition, [...(byPartition.get(b.partition) ?? []), ...b.records.map((r) => r.value)]);
    expect(byPartition.get(partitionFor('seg-2', 3))).toEqual(['a', 'c', 'e']);
    expect(byPartition.get(partitionFor('seg-1', 3))).toEqual(['b', 'd']);
    expect(Math.max(...seen.map((b) => b.records.length))).toBe(2);

    await producer.send('t', [{ key: 'seg-1', value: 'f' }]);
    const again: string[] = [];
    const c2 = bus.consumer({ groupId: 'g', topics: ['t'], fromBeginning: true });
    const run2 = c2.run(async (b) => {
      again.push(...b.records.map((r) => r.value));
      void c2.stop();
    });
    await run2;
    expect(again).toEqual(['f']);
    await bus.close();
  });

  it('a new group without fromBeginning starts at the end', async () => {
    const bus = new InProcessBus();
    await bus.ensureTopics([{ name: 't', partitions: 1 }]);
    await bus.producer().send('t', [{ key: null, value: 'old' }]);
    const got: string[] = [];
    const c = bus.consumer({ groupId: 'late', topics: ['t'] });
    const run = c.run(async (b) => {
      got.push(...b.records.map((r) => r.value));
      void c.stop();
    });
    await new Promise((r) => setTimeout(r, 10));
    await bus.producer().send('t', [{ key: null, value: 'new' }]);
    await run;
    expect(got).toEqual(['new']);
  });

  it('refuses unknown topics and bad partition counts with a clear error', async () => {
    const bus = new InProcessBus();
    await expect(bus.producer().send('nope', [{ key: null, value: 'x' }])).rejects.toThrow('unknown topic nope: create it with ensureTopics first');
    await expect(bus.ensureTopics([{ name: 'x', partitions: 0 }])).rejects.toThrow('topic x: partitions must be a positive integer, got 0');
  });
});

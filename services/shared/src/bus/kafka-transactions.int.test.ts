import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KafkaBus } from './kafka.js';
import type { KafkaIsolation } from './kafka-consumer.js';
import { freshName, intBus, waitFor } from './kafka-int-fixture.js';
import type { BusConsumer } from './port.js';

describe('KafkaBus transactions', () => {
  let bus: KafkaBus;
  const consumers: BusConsumer[] = [];
  beforeEach(() => {
    bus = intBus();
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
    await bus.close();
  });

  /** A consumer of a new group from the beginning; `values` fills as records arrive. */
  const reader = (topic: string, isolation?: KafkaIsolation) => {
    const c = bus.consumer({ groupId: freshName('reader'), topics: [topic], fromBeginning: true, ...(isolation && { isolation }) });
    consumers.push(c);
    const values: string[] = [];
    const run = c.run(async (b) => void values.push(...b.records.map((r) => r.value)));
    return { values, run };
  };

  it('keeps a transaction invisible to read_committed consumers (the default) until it commits', async () => {
    const topic = freshName('tx-commit');
    await bus.ensureTopics([{ name: topic, partitions: 2 }]);
    const tx = bus.transactionalProducer(freshName('tx'));
    await tx.begin();
    await tx.send(topic, ['a', 'b', 'c'].map((v) => ({ key: v, value: v })));
    const committed = reader(topic);
    const uncommitted = reader(topic, 'read_uncommitted');
    // The records are in the log: a read_uncommitted consumer gets them...
    await waitFor(() => uncommitted.values.length === 3, 20_000, 'the uncommitted records', uncommitted.run);
    // ...while a read_committed one, fetching all along (every 100 ms), gets nothing.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(committed.values).toEqual([]);

    await tx.commit();
    await waitFor(() => committed.values.length === 3, 20_000, 'the committed records', committed.run);
    expect(committed.values.sort()).toEqual(['a', 'b', 'c']);
    expect(uncommitted.values.sort()).toEqual(['a', 'b', 'c']);
    await tx.close();
  });

  it('never delivers the records of an aborted transaction to read_committed consumers', async () => {
    const topic = freshName('tx-abort');
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const tx = bus.transactionalProducer(freshName('tx'));
    await tx.begin();
    await tx.send(topic, [{ key: 'k', value: 'aborted-1' }, { key: 'k', value: 'aborted-2' }]);
    await tx.abort();
    await tx.begin();
    await tx.send(topic, [{ key: 'k', value: 'committed' }]);
    await tx.commit();

    const committed = reader(topic);
    const uncommitted = reader(topic, 'read_uncommitted');
    await waitFor(() => committed.values.includes('committed'), 20_000, 'the committed record', committed.run);
    await waitFor(() => uncommitted.values.includes('committed'), 20_000, 'the committed record (read_uncommitted)', uncommitted.run);
    expect(committed.values).toEqual(['committed']);
    expect(uncommitted.values).toEqual(['aborted-1', 'aborted-2', 'committed']);
    await tx.close();
  });

  it("commits a consumer group's offsets with the transaction, and not with an aborted one", async () => {
    const input = freshName('tx-in');
    const output = freshName('tx-out');
    const group = freshName('tx-group');
    await bus.ensureTopics([
      { name: input, partitions: 1 },
      { name: output, partitions: 1 },
    ]);
    const tx = bus.transactionalProducer(freshName('tx'));
    await tx.begin();
    await tx.send(output, [{ key: 'k', value: 'from offsets 0-1' }]);
    await tx.sendOffsets(group, [{ topic: input, partition: 0, offset: 2 }]);
    await tx.commit();
    // The coordinator writes the commit markers after EndTxn answers, and kafkajs' OffsetFetch (v4)
    // cannot ask for stable offsets: the committed offsets show up a moment later.
    await waitFor(async () => (await bus.committedOffsets(group, input))[0] === 2, 10_000, 'the transaction to commit the offsets');

    await tx.begin();
    await tx.sendOffsets(group, [{ topic: input, partition: 0, offset: 5 }]);
    await tx.abort();
    // The next transaction can only start once the abort is complete, markers written.
    await tx.begin();
    await tx.send(output, [{ key: 'k', value: 'after the abort' }]);
    await tx.commit();
    expect(await bus.committedOffsets(group, input)).toEqual([2]);
    await tx.close();
  });

  it('runs consume-transform-produce transactions back to back, each with its records and offsets', async () => {
    const input = freshName('ctp-in');
    const output = freshName('ctp-out');
    const group = freshName('ctp-group');
    await bus.ensureTopics([
      { name: input, partitions: 1 },
      { name: output, partitions: 1 },
    ]);
    const tx = bus.transactionalProducer(freshName('tx'));
    // Each begins while the broker may still write the previous one's markers. Every other input
    // record yields no output: its transaction starts with sendOffsets (AddOffsetsToTxn).
    for (let i = 0; i < 20; i++) {
      await tx.begin();
      if (i % 2 === 1) await tx.send(output, [{ key: 'k', value: `out-${i}` }]);
      await tx.sendOffsets(group, [{ topic: input, partition: 0, offset: i + 1 }]);
      await tx.commit();
    }
    await waitFor(async () => (await bus.committedOffsets(group, input))[0] === 20, 10_000, 'the last offsets');
    const committed = reader(output);
    await waitFor(() => committed.values.length === 10, 20_000, 'the outputs', committed.run);
    expect(committed.values).toEqual(Array.from({ length: 10 }, (_, i) => `out-${2 * i + 1}`));
    await tx.close();
  });

  it('splits sends larger than a record batch may be (1 MB): 3 MB to one partition, plain and in a transaction', async () => {
    const plain = freshName('big-plain');
    const txTopic = freshName('big-tx');
    await bus.ensureTopics([
      { name: plain, partitions: 1 },
      { name: txTopic, partitions: 1 },
    ]);
    const records = Array.from({ length: 3_000 }, (_, i) => ({ key: 'one-key', value: `${i}:${'x'.repeat(1_000)}` }));
    await bus.producer().send(plain, records);
    const tx = bus.transactionalProducer(freshName('tx'));
    await tx.begin();
    await tx.sendAll([
      { topic: txTopic, records },
      { topic: plain, records: records.slice(0, 10) },
    ]);
    await tx.commit();
    for (const [topic, n] of [
      [plain, 3_010],
      [txTopic, 3_000],
    ] as const) {
      const got = reader(topic);
      await waitFor(() => got.values.length >= n, 30_000, `${n} records of ${topic}`, got.run);
      expect(got.values.length).toBe(n);
    }
    const inTx = reader(txTopic);
    await waitFor(() => inTx.values.length >= 3_000, 30_000, 'the transaction records again', inTx.run);
    expect(inTx.values.map((v) => Number(v.split(':')[0]))).toEqual(records.map((_, i) => i));
    await tx.close();
  });

  it('fences the older of two producers with one transactional id: its commit fails for good', async () => {
    const topic = freshName('tx-fence');
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const id = freshName('tx');
    const zombie = bus.transactionalProducer(id);
    await zombie.begin();
    await zombie.send(topic, [{ key: 'k', value: 'zombie' }]);
    const successor = bus.transactionalProducer(id);
    await successor.begin(); // InitProducerId bumps the epoch and aborts the zombie's transaction
    await expect(zombie.commit()).rejects.toMatchObject({ name: 'SaferoadsError', code: 'BUS_UNAVAILABLE', retriable: false });
    await expect(zombie.begin()).rejects.toThrow(`transactional producer ${id}: a commit failed: close this producer and create a new one`);
    await successor.send(topic, [{ key: 'k', value: 'successor' }]);
    await successor.commit();

    const committed = reader(topic);
    await waitFor(() => committed.values.length > 0, 20_000, 'the committed record', committed.run);
    expect(committed.values).toEqual(['successor']);
    await zombie.close();
    await successor.close();
  });
});

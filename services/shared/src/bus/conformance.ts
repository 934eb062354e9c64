/**
 * The bus port's contract as tests, run against every implementation: the in-process bus in the
 * unit tests, Kafka in the integration tests. Stage code relies on exactly these behaviours.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { partitionFor } from './partitioner.js';
import type { Bus, BusConsumer, BusConsumerOptions, BusRecord, ConsumedBatch, ConsumerHooks, TransactionalConsumer, TransactionalHooks } from './port.js';

export interface BusUnderTest {
  readonly bus: Bus;
  /** A topic name no other test uses. */
  topic(label: string): string;
  /** A consumer group id no other test uses. */
  group(label: string): string;
}

export interface ConformanceOptions {
  /** How long a test waits for records to arrive before it fails. */
  readonly waitMs?: number;
}

const values = (batches: readonly ConsumedBatch[]) => batches.flatMap((b) => b.records.map((r) => r.value));
const count = (batches: readonly ConsumedBatch[]) => batches.reduce((n, b) => n + b.records.length, 0);

/** Polls `cond`; ends early with the consumer's error when `run` (its run() promise) rejects meanwhile. */
async function waitFor(cond: () => boolean, ms: number, what: string, run?: Promise<void>): Promise<void> {
  let failure: { error: unknown } | null = null;
  run?.catch((error: unknown) => {
    failure = { error };
  });
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (failure) throw (failure as { error: unknown }).error;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Registers the conformance tests; `create` gives each test a fresh bus, closed after it. */
export function describeBusConformance(name: string, create: () => BusUnderTest | Promise<BusUnderTest>, opts: ConformanceOptions = {}): void {
  const waitMs = opts.waitMs ?? 5_000;

  describe(`${name} conforms to the bus port`, () => {
    let t: BusUnderTest;
    let running: { consumer: BusConsumer | TransactionalConsumer; done: Promise<void> }[] = [];

    beforeEach(async () => {
      t = await create();
      running = [];
    });
    afterEach(async () => {
      await Promise.all(running.map((r) => r.consumer.stop()));
      await t.bus.close();
    });

    const topicWith = async (label: string, partitions: number) => {
      const topic = t.topic(label);
      await t.bus.ensureTopics([{ name: topic, partitions }]);
      return topic;
    };

    /** Runs a consumer until `enough` holds for what it received, then stops it (which commits). */
    const consumeUntil = async (o: BusConsumerOptions, enough: (got: ConsumedBatch[]) => boolean, extra: { hooks?: ConsumerHooks; onBatch?: () => void } = {}) => {
      const consumer = t.bus.consumer(o);
      const got: ConsumedBatch[] = [];
      const done = consumer.run(async (b) => {
        extra.onBatch?.();
        got.push(b);
      }, extra.hooks);
      running.push({ consumer, done });
      await waitFor(() => enough(got), waitMs, `enough records (got ${JSON.stringify(values(got))})`, done);
      await consumer.stop();
      await done;
      return got;
    };

    it('keeps each key on one partition in send order, with consecutive offsets per partition', async () => {
      const topic = await topicWith('order', 3);
      const keys = ['seg-a', 'seg-b', 'seg-c', 'seg-d', 'seg-e'];
      const producer = t.bus.producer();
      for (let round = 0; round < 3; round++) await producer.send(topic, keys.map((key) => ({ key, value: `${key}#${round}` })));

      const got = await consumeUntil({ groupId: t.group('order'), topics: [topic], fromBeginning: true }, (g) => count(g) >= 15);

      expect(count(got)).toBe(15);
      for (const key of keys) {
        const ofKey = got.flatMap((b) => b.records.filter((r) => r.key === key).map((r) => `${b.partition}:${r.value}`));
        const p = partitionFor(key, 3);
        expect(ofKey).toEqual([`${p}:${key}#0`, `${p}:${key}#1`, `${p}:${key}#2`]);
      }
      for (let p = 0; p < 3; p++) {
        const offsets = got.filter((b) => b.partition === p).flatMap((b) => b.records.map((r) => r.offset));
        expect(offsets).toEqual(offsets.map((_, i) => i));
      }
      // Each batch knows how far its partition went when it was read: at least past the batch.
      for (const b of got) expect(b.highWatermark).toBeGreaterThanOrEqual(b.records[b.records.length - 1].offset + 1);
    });

    it('places a record keyed K on partition partitionFor(K, n)', async () => {
      const topic = await topicWith('placement', 4);
      const keys = Array.from({ length: 16 }, (_, i) => `A13-S-${String(i).padStart(3, '0')}`);
      await t.bus.producer().send(topic, keys.map((key) => ({ key, value: key })));

      const got = await consumeUntil({ groupId: t.group('placement'), topics: [topic], fromBeginning: true }, (g) => count(g) >= 16);

      const placed = Object.fromEntries(got.flatMap((b) => b.records.map((r) => [r.key, b.partition])));
      expect(placed).toEqual(Object.fromEntries(keys.map((k) => [k, partitionFor(k, 4)])));
    });

    it('resumes a group after its last committed batch when a new consumer of the group starts', async () => {
      const topic = await topicWith('resume', 1);
      const group = t.group('resume');
      const producer = t.bus.producer();
      await producer.send(topic, ['a', 'b', 'c'].map((value) => ({ key: 'k', value })));
      expect(values(await consumeUntil({ groupId: group, topics: [topic], fromBeginning: true }, (g) => count(g) >= 3))).toEqual(['a', 'b', 'c']);

      await producer.send(topic, ['d', 'e'].map((value) => ({ key: 'k', value })));
      // A redelivery of a, b or c would arrive before d and fail this.
      expect(values(await consumeUntil({ groupId: group, topics: [topic], fromBeginning: true }, (g) => count(g) >= 2))).toEqual(['d', 'e']);
    });

    it('stop() lets the batch in progress finish and commits it', async () => {
      const topic = await topicWith('stop', 1);
      const group = t.group('stop');
      const producer = t.bus.producer();
      await producer.send(topic, [{ key: 'k', value: 'a' }]);
      const events: string[] = [];
      const consumer = t.bus.consumer({ groupId: group, topics: [topic], fromBeginning: true });
      let stopped: Promise<void> | undefined;
      const done = consumer.run(async (b) => {
        events.push(`start ${values([b]).join()}`);
        stopped = consumer.stop().then(() => void events.push('stopped'));
        await new Promise((r) => setTimeout(r, 200));
        events.push('end');
      });
      running.push({ consumer, done });
      await waitFor(() => stopped !== undefined, waitMs, 'the first batch', done);
      await done;
      await stopped;
      expect(events).toEqual(['start a', 'end', 'stopped']);

      await producer.send(topic, [{ key: 'k', value: 'b' }]);
      expect(values(await consumeUntil({ groupId: group, topics: [topic], fromBeginning: true }, (g) => count(g) >= 1))).toEqual(['b']);
    });

    it('starts a new group at the beginning with fromBeginning', async () => {
      const topic = await topicWith('from-beginning', 1);
      await t.bus.producer().send(topic, [{ key: null, value: 'old-1' }, { key: null, value: 'old-2' }]);
      const got = await consumeUntil({ groupId: t.group('from-beginning'), topics: [topic], fromBeginning: true }, (g) => count(g) >= 2);
      expect(values(got)).toEqual(['old-1', 'old-2']);
    });

    it('starts a new group at the end without fromBeginning', async () => {
      const topic = await topicWith('from-end', 1);
      const producer = t.bus.producer();
      await producer.send(topic, [{ key: null, value: 'old' }]);
      const consumer = t.bus.consumer({ groupId: t.group('from-end'), topics: [topic] });
      const got: string[] = [];
      const done = consumer.run(async (b) => {
        got.push(...values([b]));
      });
      running.push({ consumer, done });
      // A group's start position is fixed at some moment after run(): records sent before it are
      // skipped, those after it delivered. Send until one arrives; what arrives is then a suffix.
      const sent: string[] = [];
      for (let i = 0; got.length === 0 && i < 40; i++) {
        const value = `new-${i}`;
        await producer.send(topic, [{ key: null, value }]);
        sent.push(value);
        await waitFor(() => got.length > 0, 250, 'a record', done).catch(() => undefined);
      }
      await waitFor(() => got.includes(sent[sent.length - 1]), waitMs, 'the last record sent', done);
      expect(got.length).toBeGreaterThan(0);
      expect(got).toEqual(sent.slice(sent.length - got.length));
    });

    it('calls onAssign with every partition for a single member before its first batch, and onRevoke on stop', async () => {
      const topic = await topicWith('assign', 3);
      await t.bus.producer().send(topic, [{ key: 'k', value: 'v' }]);
      const events: string[] = [];
      const hooks: ConsumerHooks = {
        // Asynchronous on purpose: the first batch must still wait for it.
        onAssign: async (tp, parts) => {
          await new Promise((r) => setTimeout(r, 50));
          events.push(`assign ${tp === topic} ${parts.join()}`);
        },
        onRevoke: (tp, parts) => void events.push(`revoke ${tp === topic} ${parts.join()}`),
      };
      const got = await consumeUntil({ groupId: t.group('assign'), topics: [topic], fromBeginning: true }, (g) => count(g) >= 1, {
        hooks,
        onBatch: () => events.push('batch'),
      });
      expect(values(got)).toEqual(['v']);
      expect(events).toEqual(['assign true 0,1,2', 'batch', 'revoke true 0,1,2']);
    });

    it('resolves send only once the records are readable', async () => {
      const topic = await topicWith('readable', 2);
      const records: BusRecord[] = Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));
      await t.bus.producer().send(topic, records);
      // A consumer started right after send() resolved finds every record.
      const got = await consumeUntil({ groupId: t.group('readable'), topics: [topic], fromBeginning: true }, (g) => count(g) >= 6);
      expect(values(got).sort()).toEqual(records.map((r) => r.value).sort());
    });

    it('gives every record to each of two groups', async () => {
      const topic = await topicWith('groups', 2);
      const records: BusRecord[] = Array.from({ length: 10 }, (_, i) => ({ key: `seg-${i}`, value: `v${i}` }));
      await t.bus.producer().send(topic, records);
      const [g1, g2] = await Promise.all(
        ['one', 'two'].map((label) => consumeUntil({ groupId: t.group(label), topics: [topic], fromBeginning: true }, (g) => count(g) >= 10)),
      );
      const all = records.map((r) => r.value).sort();
      expect(values(g1).sort()).toEqual(all);
      expect(values(g2).sort()).toEqual(all);
    });

    /**
     * A transactional processor of one single-partition topic: it echoes each record as `out:<value>`,
     * committing after every record whose value starts with `commit`; `until` ends the run.
     */
    const echoUntil = async (input: string, output: string, group: string, until: (seen: string[]) => boolean, resumeAt?: number) => {
      const consumer = t.bus.transactionalConsumer({ groupId: group, topics: [input], fromBeginning: true });
      const seen: string[] = [];
      const events: string[] = [];
      let pending: BusRecord[] = [];
      const hooks: TransactionalHooks = {
        onAssign: async (_topic, parts) => {
          events.push(`assign ${parts.join()}`);
          return new Map(resumeAt === undefined ? [] : [[0, resumeAt]]);
        },
        onRevoke: async (_topic, parts) => {
          events.push(`revoke ${parts.join()}`);
          pending = [];
        },
      };
      const done = consumer.run(async (b) => {
        for (const r of b.records) {
          seen.push(r.value);
          pending.push({ key: r.key, value: `out:${r.value}` });
          if (r.value.startsWith('commit')) {
            const records = pending;
            pending = [];
            await consumer.commit(input, b.partition, [{ topic: output, records }], r.offset + 1);
          }
        }
      }, hooks);
      running.push({ consumer, done });
      await waitFor(() => until(seen), waitMs, `the records (got ${JSON.stringify(seen)})`, done);
      await consumer.stop();
      await done;
      return { seen, events };
    };

    it('transactional: publishes outputs with the input position at commit(), and nothing uncommitted survives a restart', async () => {
      const input = await topicWith('tx-in', 1);
      const output = await topicWith('tx-out', 1);
      const group = t.group('tx');
      await t.bus.producer().send(input, ['a', 'commit-b', 'c', 'd'].map((value) => ({ key: 'k', value })));

      const first = await echoUntil(input, output, group, (seen) => seen.length >= 4);
      expect(first.seen).toEqual(['a', 'commit-b', 'c', 'd']);
      expect(first.events).toEqual(['assign 0', 'revoke 0']);
      // c and d were processed but never committed: a new member of the group reads them again.
      await t.bus.producer().send(input, [{ key: 'k', value: 'commit-e' }]);
      const second = await echoUntil(input, output, group, (seen) => seen.includes('commit-e'));
      expect(second.seen).toEqual(['c', 'd', 'commit-e']);

      const outputs = await consumeUntil({ groupId: t.group('tx-reader'), topics: [output], fromBeginning: true }, (g) => count(g) >= 5);
      expect(values(outputs)).toEqual(['out:a', 'out:commit-b', 'out:c', 'out:d', 'out:commit-e']);
    });

    it("transactional: resumes at the offset onAssign names, whatever the group's committed offset", async () => {
      const input = await topicWith('tx-resume-in', 1);
      const output = await topicWith('tx-resume-out', 1);
      await t.bus.producer().send(input, ['a', 'b', 'c', 'commit-d'].map((value) => ({ key: 'k', value })));
      const run = await echoUntil(input, output, t.group('tx-resume'), (seen) => seen.includes('commit-d'), 2);
      expect(run.seen).toEqual(['c', 'commit-d']);
    });

    it('a table reader gives the newest committed record of each partition, records placed by partition, null for an empty one', async () => {
      const input = await topicWith('tbl-in', 1);
      const table = t.topic('tbl');
      await t.bus.ensureTopics([{ name: table, partitions: 3, config: { 'cleanup.policy': 'compact' } }]);
      const reader = t.bus.tableReader(table);
      try {
        expect(await reader.latest(1)).toBeNull();
        const group = t.group('tbl');
        await t.bus.producer().send(input, ['commit-1', 'commit-2'].map((value) => ({ key: 'k', value })));
        const consumer = t.bus.transactionalConsumer({ groupId: group, topics: [input], fromBeginning: true });
        let n = 0;
        const done = consumer.run(
          async (b) => {
            for (const r of b.records) {
              n++;
              const checkpoint = { key: 'p2', value: `state after ${r.value}`, partition: 2 };
              await consumer.commit(input, 0, [{ topic: table, records: [checkpoint] }], r.offset + 1);
            }
          },
          { onAssign: async () => new Map(), onRevoke: async () => undefined },
        );
        running.push({ consumer, done });
        await waitFor(() => n >= 2, waitMs, 'both records', done);
        await consumer.stop();
        await done;
        const newest = await reader.latest(2);
        expect(newest && { key: newest.key, value: newest.value }).toEqual({ key: 'p2', value: 'state after commit-2' });
        expect(await reader.latest(0)).toBeNull();
        expect(await reader.latest(1)).toBeNull();
      } finally {
        await reader.close();
      }
    });
  });
}

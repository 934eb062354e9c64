import { describe, expect, it } from 'vitest';
import { freshName, intClientsPerTest, intMinSessionTimeoutMs, waitFor } from './kafka-int-fixture.js';
import type { ConsumedBatch, ConsumerHooks } from './port.js';

/** Which partitions a member owns, as its hooks told it. */
function tracker() {
  const owned = new Set<number>();
  const log: string[] = [];
  const hooks: ConsumerHooks = {
    onAssign: (_t, parts) => {
      for (const p of parts) owned.add(p);
      log.push(`assign ${parts.join()}`);
    },
    onRevoke: (_t, parts) => {
      for (const p of parts) owned.delete(p);
      log.push(`revoke ${parts.join()}`);
    },
  };
  return { owned, log, hooks, sorted: () => [...owned].sort((a, b) => a - b) };
}

describe('KafkaBus consumer', () => {
  const clients = intClientsPerTest();
  const bus = clients.bus;

  it('revokes the partitions a second member takes over, and gives them back when it leaves', async () => {
    const b = bus();
    const topic = freshName('rebalance');
    const groupId = freshName('rebalance');
    await b.ensureTopics([{ name: topic, partitions: 4 }]);
    const first = tracker();
    const second = tracker();
    const c1 = b.consumer({ groupId, topics: [topic] });
    clients.consumer(c1);
    const run1 = c1.run(async () => undefined, first.hooks);
    await waitFor(() => first.owned.size === 4, 20_000, 'the first member to own all 4 partitions', run1);

    const c2 = b.consumer({ groupId, topics: [topic] });
    clients.consumer(c2);
    const run2 = c2.run(async () => undefined, second.hooks);
    await waitFor(() => second.owned.size === 2 && first.owned.size === 2, 20_000, 'a 2/2 split', run2);
    expect([...first.sorted(), ...second.sorted()].sort()).toEqual([0, 1, 2, 3]);
    expect(first.log).toEqual(['assign 0,1,2,3', `revoke ${second.sorted().join()}`]);
    expect(second.log).toEqual([`assign ${second.sorted().join()}`]);

    const taken = second.sorted();
    await c2.stop();
    await run2;
    expect(second.log).toEqual([`assign ${taken.join()}`, `revoke ${taken.join()}`]);
    await waitFor(() => first.owned.size === 4, 20_000, 'the first member to own all 4 partitions again', run1);
    expect(first.log).toEqual(['assign 0,1,2,3', `revoke ${taken.join()}`, `assign ${taken.join()}`]);
    await c1.stop();
    await run1;
  });

  it('keeps heartbeating while a batch takes longer than the session timeout, so the group neither evicts the member nor redelivers', async () => {
    // The test broker accepts session timeouts from 1 s (test/int-global-setup.ts); others from 6 s.
    const sessionTimeoutMs = Math.max(1_500, intMinSessionTimeoutMs());
    const b = bus({ sessionTimeoutMs, heartbeatIntervalMs: 200 });
    const topic = freshName('long-batch');
    const groupId = freshName('long-batch');
    await b.ensureTopics([{ name: topic, partitions: 1 }]);
    await b.producer().send(topic, [{ key: 'k', value: 'slow' }]);
    const t = tracker();
    const seen: string[] = [];
    const c = b.consumer({ groupId, topics: [topic], fromBeginning: true });
    clients.consumer(c);
    const run = c.run(async (batch) => {
      seen.push(...batch.records.map((r) => r.value));
      await new Promise((r) => setTimeout(r, sessionTimeoutMs + 2_000));
    }, t.hooks);
    await waitFor(() => seen.length > 0, 20_000, 'the batch', run);
    // Committed once the slow handler is done, by the same generation of the group.
    await waitFor(async () => (await b.committedOffsets(groupId, topic))[0] === 1, sessionTimeoutMs + 15_000, 'the commit', run);
    await c.stop();
    await run;
    expect(seen).toEqual(['slow']);
    expect(t.log).toEqual(['assign 0', 'revoke 0']);
  });

  it('stops on a handler error without committing the batch, run() rejects with it, and the batch comes again', async () => {
    const b = bus();
    const topic = freshName('handler-error');
    const groupId = freshName('handler-error');
    await b.ensureTopics([{ name: topic, partitions: 1 }]);
    await b.producer().send(topic, [{ key: 'k', value: 'poison' }]);
    const failing = b.consumer({ groupId, topics: [topic], fromBeginning: true });
    clients.consumer(failing);
    await expect(
      failing.run(async () => {
        throw new Error('handler broke');
      }),
    ).rejects.toThrow('handler broke');
    expect(await b.committedOffsets(groupId, topic)).toEqual([null]);

    const again: ConsumedBatch[] = [];
    const c = b.consumer({ groupId, topics: [topic], fromBeginning: true });
    clients.consumer(c);
    const run = c.run(async (batch) => void again.push(batch));
    await waitFor(() => again.length > 0, 20_000, 'the batch again', run);
    await c.stop();
    await run;
    expect(again.map((x) => x.records.map((r) => [r.offset, r.value]))).toEqual([[[0, 'poison']]]);
    expect(await b.committedOffsets(groupId, topic)).toEqual([1]);
  });

  it('fails run() with BUS_UNAVAILABLE when a subscribed topic does not exist', async () => {
    const b = bus({ retries: 0 });
    const c = b.consumer({ groupId: freshName('missing'), topics: [freshName('missing')] });
    clients.consumer(c);
    await expect(c.run(async () => undefined)).rejects.toMatchObject({ name: 'SaferoadsError', code: 'BUS_UNAVAILABLE' });
  });
});

import { describe, expect, it } from 'vitest';
import { SendQueue, type SendQueueOptions } from './send-queue.js';

interface Deferred {
  readonly items: string[];
  resolve(): void;
  reject(err: Error): void;
}

/** A queue whose sends wait until the test settles them, so in-flight counts are exact. */
function manual(over: Partial<SendQueueOptions<string>> = {}) {
  const sends: Deferred[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const q = new SendQueue<string>({
    lanes: 2,
    maxItems: 3,
    maxBytes: 1_000,
    sizeOf: (s) => s.length,
    maxWaiting: 100,
    send: (items) =>
      new Promise<void>((resolve, reject) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        const done = () => inFlight--;
        sends.push({ items, resolve: () => (done(), resolve()), reject: (e) => (done(), reject(e)) });
      }),
    ...over,
  });
  return { q, sends, maxInFlight: () => maxInFlight };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('SendQueue', () => {
  it('sends each lane in order, one send per lane at a time, and coalesces what waits', async () => {
    const { q, sends, maxInFlight } = manual();
    for (const s of ['a1', 'a2']) q.enqueue(0, s);
    q.enqueue(1, 'b1');
    await q.dispatch();
    expect(sends.map((s) => s.items)).toEqual([['a1', 'a2'], ['b1']]);
    for (const s of ['a3', 'a4', 'a5', 'a6']) q.enqueue(0, s);
    await q.dispatch();
    // Lane 0 is busy: nothing new goes out until its send is done.
    expect(sends.length).toBe(2);
    sends[0].resolve();
    await tick();
    expect(sends[2].items).toEqual(['a3', 'a4', 'a5']);
    sends[2].resolve();
    await tick();
    expect(sends[3].items).toEqual(['a6']);
    sends[1].resolve();
    sends[3].resolve();
    await q.drain();
    expect(maxInFlight()).toBe(2);
  });

  it('splits by bytes, but never leaves a single large item behind', async () => {
    const sent: string[][] = [];
    const q = new SendQueue<string>({ lanes: 1, maxItems: 10, maxBytes: 5, sizeOf: (s) => s.length, maxWaiting: 100, send: async (items) => void sent.push(items) });
    for (const s of ['aa', 'bb', 'cc', 'dddddddd', 'e']) q.enqueue(0, s);
    await q.drain();
    expect(sent).toEqual([['aa', 'bb'], ['cc'], ['dddddddd'], ['e']]);
  });

  it('makes dispatch wait while more than maxWaiting items wait', async () => {
    const { q, sends } = manual({ lanes: 1, maxItems: 2, maxWaiting: 3 });
    for (const s of ['1', '2', '3', '4', '5', '6', '7']) q.enqueue(0, s);
    let released = false;
    const dispatched = q.dispatch().then(() => (released = true));
    await tick();
    // '1','2' are in flight, five wait: over the bound of three.
    expect(released).toBe(false);
    sends[0].resolve();
    await tick();
    // '3','4' in flight, three wait: within the bound.
    await dispatched;
    expect(released).toBe(true);
  });

  it('stops on the first failure: queued items are dropped and every later call rejects with it', async () => {
    const failures: unknown[] = [];
    const { q, sends } = manual({ onFailure: (e) => failures.push(e) });
    q.enqueue(0, 'a1');
    q.enqueue(1, 'b1');
    await q.dispatch();
    q.enqueue(0, 'a2');
    const boom = new Error('refused');
    sends[0].reject(boom);
    await tick();
    await expect(q.dispatch()).rejects.toBe(boom);
    const drained = q.drain();
    sends[1].resolve();
    await expect(drained).rejects.toBe(boom);
    expect(sends.length).toBe(2);
    expect(failures).toEqual([boom]);
  });
});

import { createServer } from 'node:net';
import { interceptSends, type Bus, type InProcessBus } from '@saferoads/shared/bus';
import { SaferoadsError } from '@saferoads/shared/errors';
import { TOPICS } from '@saferoads/shared/topics';
import { afterEach, describe, expect, it } from 'vitest';
import { detectionLine } from '../ndjson.js';
import { smallNetwork } from '../test-support/fixtures.js';
import { feed } from './feed.js';
import { HttpSink, type HttpSinkOptions } from './http-sink.js';
import { a13, from, linesBySegment, simulateA13, startGateway, valuesByKey, type Gateway } from './test-support.js';

/** The in-process bus, except that the first `failures` sends to loop.detections reject as an unreachable Kafka would. */
function failingFirst(inner: InProcessBus, failures: number): Bus {
  let left = failures;
  return interceptSends(inner, (topic) => {
    if (topic === TOPICS.detections && left-- > 0) throw new SaferoadsError('BUS_UNAVAILABLE', 'connect ECONNREFUSED 10.0.0.7:9092', { retriable: true });
  });
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A sink whose pauses are recorded instead of waited out, with backoff at its cap (random 1). */
function sink(endpoint: string, over: Partial<HttpSinkOptions> = {}): { sink: HttpSink; sleeps: number[]; retries: string[]; bodies: string[] } {
  const sleeps: number[] = [];
  const retries: string[] = [];
  const bodies: string[] = [];
  const s = new HttpSink({
    endpoint,
    network: a13(),
    batchSize: 5000,
    concurrency: 4,
    attempts: 6,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 1,
    onRetry: (m) => retries.push(m),
    fetch: (url, init) => {
      bodies.push(String(init.body));
      return fetch(url, init);
    },
    ...over,
  });
  return { sink: s, sleeps, retries, bodies };
}

let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.app.close();
  gateway = undefined;
});

describe('HttpSink against the loop ingest gateway', () => {
  const batches = simulateA13(3);
  const total = batches.reduce((n, b) => n + b.detections.length, 0);

  it('delivers every record to loop.detections, keyed by segment, each segment in simulated order', async () => {
    gateway = await startGateway();
    const s = sink(gateway.endpoint, { batchSize: 300 });
    const result = await feed(from(batches), s.sink);

    expect(result.error).toBeUndefined();
    expect(s.sink.stats()).toEqual({ sent: total, accepted: total, rejected: 0, requests: s.bodies.length, retries: 0 });
    const perRequest = s.bodies.map((b) => b.split('\n').length - 1);
    expect(Math.max(...perRequest)).toBeLessThanOrEqual(300);
    expect(perRequest.reduce((a, b) => a + b, 0)).toBe(total);
    const got = await gateway.detections();
    expect(got.length).toBe(total);
    // Same records, same keys and, per key (one partition each), the simulated order.
    expect(valuesByKey(got)).toEqual(linesBySegment(batches));
    expect(got.every((r) => r.timestamp === (JSON.parse(r.value) as { ts: number }).ts)).toBe(true);
  });

  it('waits out a 503 for its Retry-After, then the batch lands once', async () => {
    gateway = await startGateway({ wrap: (bus) => failingFirst(bus, 1) });
    const s = sink(gateway.endpoint, { concurrency: 1 });
    const result = await feed(from(batches), s.sink);

    expect(result.error).toBeUndefined();
    // Backoff at its cap is 250 ms; the gateway's Retry-After: 5 wins.
    expect(s.sleeps).toEqual([5000]);
    expect(s.retries).toEqual([
      `POST ${gateway.endpoint} answered 503 Service Unavailable: the event bus did not take the batch, so nothing of it was accepted: ` +
        'send the whole batch again in 5 s; attempt 2 of 6 in 5.0 s',
    ]);
    expect(s.sink.stats()).toMatchObject({ sent: total, accepted: total, rejected: 0, retries: 1 });
    const got = await gateway.detections();
    expect(got.length).toBe(total);
    expect(new Set(got.map((r) => r.value)).size).toBe(total);
    expect(valuesByKey(got)).toEqual(linesBySegment(batches));
  });

  it('stops at once on a 400, with the gateway\'s message', async () => {
    gateway = await startGateway();
    // Detectors of another network: the gateway refuses every record.
    const foreign = simulateA13(1, smallNetwork());
    const first = foreign[0].detections;
    const s = sink(gateway.endpoint, { network: smallNetwork(), concurrency: 1 });
    const result = await feed(from(foreign), s.sink);

    expect(result.error?.message).toBe(
      `${gateway.endpoint} refused a batch of ${first.length} records with 400 Bad Request: ` +
        `every record of the batch was refused (${first.length}): nothing was accepted; ` +
        `first: record 0, detectorId: unknown detector "${first[0].detectorId}": not in the road network "${a13().name}"`,
    );
    expect(s.bodies.length).toBe(1);
    expect(s.sleeps).toEqual([]);
    expect(result.stats).toEqual({ sent: 0, accepted: 0, rejected: 0, requests: 0, retries: 0 });
    expect(await gateway.detections()).toEqual([]);
  });

  it('stops at once on a 413 and says which option to lower', async () => {
    gateway = await startGateway({ env: { INGEST_MAX_RECORDS: '10' } });
    const n = Math.min(50, batches[0].detections.length);
    const s = sink(gateway.endpoint, { batchSize: 50, concurrency: 1 });
    const result = await feed(from(batches), s.sink);

    expect(result.error?.message).toBe(
      `${gateway.endpoint} refused a batch of ${n} records with 413 Payload Too Large: ` +
        `the batch holds ${n} records, more than the 10 allowed per request: split it (lower --batch-size)`,
    );
    expect(s.bodies.length).toBe(1);
  });

  it('fails with the last error once the attempts are spent on an unreachable gateway', async () => {
    const port = await closedPort();
    const endpoint = `http://127.0.0.1:${port}/v1/detections`;
    const s = sink(endpoint, { concurrency: 1, attempts: 3 });
    const result = await feed(from(batches.slice(0, 1)), s.sink);

    const n = batches[0].detections.length;
    expect(result.error?.message).toBe(`gave up on a batch of ${n} records after 3 attempts: POST ${endpoint}: connect ECONNREFUSED 127.0.0.1:${port}`);
    // Full-jitter backoff at its cap (random 1): 250 ms, then 500 ms.
    expect(s.sleeps).toEqual([250, 500]);
    expect(result.stats).toEqual({ sent: 0, accepted: 0, rejected: 0, requests: 0, retries: 2 });
  });

  it('keeps each request within the batch size even when one step holds more', async () => {
    gateway = await startGateway();
    const one = [{ ...batches[0], detections: batches.flatMap((b) => b.detections) }];
    const s = sink(gateway.endpoint, { batchSize: 1000, concurrency: 1 });
    const result = await feed(from(one), s.sink);

    expect(result.error).toBeUndefined();
    const sizes: number[] = [];
    for (let left = total; left > 0; left -= 1000) sizes.push(Math.min(1000, left));
    expect(s.bodies.map((b) => b.split('\n').length - 1)).toEqual(sizes);
    expect(s.bodies.join('')).toBe(one[0].detections.map((d) => detectionLine(d) + '\n').join(''));
  });
});

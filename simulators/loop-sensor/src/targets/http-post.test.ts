import { describe, expect, it } from 'vitest';
import { feed } from './feed.js';
import { postNdjson, retryAfterMs, RetriableSendError, type FetchFn } from './http-post.js';
import { HttpSink } from './http-sink.js';
import { DeliveryError } from './sink.js';
import { a13, from, simulateA13 } from './test-support.js';

const URL_ = 'http://gateway.test:8081/v1/detections';
const NOW = Date.parse('2026-03-10T07:00:00Z');

/** A fetch that answers from a script, one response per call. */
function scripted(...answers: (() => Response)[]): FetchFn & { calls: number } {
  const f = Object.assign(async () => answers[Math.min(f.calls++, answers.length - 1)](), { calls: 0 });
  return f;
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('resolved');
}

const post = (f: FetchFn) => postNdjson(f, URL_, '{}\n', 1, new AbortController().signal);

describe('retryAfterMs', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(retryAfterMs('5', NOW)).toBe(5000);
    expect(retryAfterMs(' 0 ', NOW)).toBe(0);
    expect(retryAfterMs('Tue, 10 Mar 2026 07:00:30 GMT', NOW)).toBe(30_000);
    expect(retryAfterMs('Tue, 10 Mar 2026 06:59:00 GMT', NOW)).toBe(0);
    expect(retryAfterMs('soon', NOW)).toBe(0);
    expect(retryAfterMs(null, NOW)).toBe(0);
  });
});

describe('postNdjson', () => {
  it('returns the counts and the first per-record error of a 202', async () => {
    const f = scripted(json(202, { accepted: 2, rejected: 1, errors: [{ index: 1, field: 'speedKmh', reason: 'must be > 0' }] }));
    expect(await post(f)).toEqual({ accepted: 2, rejected: 1, firstError: 'record 1, speedKmh: must be > 0' });
  });

  it('treats a 5xx from a proxy as retriable, quoting the start of its page', async () => {
    const err = await caught(post(scripted(() => new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' }))));
    expect(err).toBeInstanceOf(RetriableSendError);
    expect((err as RetriableSendError).message).toBe(`POST ${URL_} answered 502 Bad Gateway: <html>Bad Gateway</html>`);
    expect((err as RetriableSendError).retryAfterMs).toBe(0);
  });

  it('honours Retry-After on a 429', async () => {
    const err = await caught(post(scripted(json(429, { message: 'slow down' }, { 'retry-after': '2' }))));
    expect((err as RetriableSendError).retryAfterMs).toBe(2000);
  });

  it('refuses at once on a 404 and on a 202 without counts', async () => {
    const notFound = await caught(post(scripted(json(404, { statusCode: 404, error: 'Not Found', message: 'Route POST:/v1/detection not found' }))));
    expect(notFound).toBeInstanceOf(DeliveryError);
    expect((notFound as Error).message).toBe(`${URL_} refused a batch of 1 records with 404: Route POST:/v1/detection not found`);
    const odd = await caught(post(scripted(json(202, { ok: true }))));
    expect((odd as Error).message).toBe(`${URL_} answered without accepted/rejected counts: {"ok":true}`);
  });
});

describe('HttpSink retries', () => {
  it('retries a 500 with backoff and counts the batch once', async () => {
    const batches = simulateA13(0.5);
    const n = batches.reduce((k, b) => k + b.detections.length, 0);
    const f = scripted(json(500, { message: 'boom' }), json(202, { accepted: n, rejected: 0, errors: [] }));
    const sleeps: number[] = [];
    const sink = new HttpSink({
      endpoint: URL_,
      network: a13(),
      batchSize: 10_000,
      concurrency: 1,
      attempts: 3,
      fetch: f,
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 0.5,
    });
    // One write: all records go in the first request.
    const result = await feed(from([{ ...batches[0], detections: batches.flatMap((b) => b.detections) }]), sink);
    expect(result.error).toBeUndefined();
    expect(f.calls).toBe(2);
    expect(sleeps).toEqual([125]);
    expect(result.stats).toEqual({ sent: n, accepted: n, rejected: 0, requests: 1, retries: 1 });
  });
});

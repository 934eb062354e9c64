import { describe, expect, it } from 'vitest';
import type { DetectionBatch } from '../types.js';
import { feed } from './feed.js';
import { DeliveryError, type DetectionSink, type SinkStats } from './sink.js';
import { summaryLine } from './summary.js';

const batch = (i: number, n: number): DetectionBatch => ({
  fromMs: i * 5000,
  untilMs: (i + 1) * 5000,
  detections: Array.from({ length: n }, (_, k) => ({ detectorId: 'D', lane: 1, ts: i * 5000 + k, speedKmh: 90, lengthM: 4.5 })),
});

/** Records calls; fails the write of batch `failAt` when given. */
class FakeSink implements DetectionSink {
  readonly name = 'fake';
  readonly calls: string[] = [];
  private sent = 0;
  constructor(private readonly failAt = -1) {}
  async write(b: DetectionBatch): Promise<void> {
    this.calls.push(`write ${b.fromMs}`);
    if (b.fromMs === this.failAt * 5000) throw new DeliveryError('refused');
    this.sent += b.detections.length;
  }
  async close(): Promise<void> {
    this.calls.push('close');
    if (this.failAt >= 0) throw new DeliveryError('refused (again)');
  }
  stats(): SinkStats {
    return { sent: this.sent, accepted: this.sent, rejected: 0, requests: 1, retries: 0 };
  }
}

async function* from<T>(xs: readonly T[]): AsyncGenerator<T> {
  yield* xs;
}

/** A clock that advances 1.25 s per reading: start, then end. */
function clock(): () => number {
  let t = 0;
  return () => (t += 1250);
}

describe('feed', () => {
  const batches = [batch(0, 3), batch(1, 2), batch(2, 4)];

  it('writes every batch, closes the sink and reports what it delivered', async () => {
    const sink = new FakeSink();
    const seen: number[] = [];
    const r = await feed(from(batches), sink, { now: clock(), onBatch: (b) => seen.push(b.detections.length) });
    expect(sink.calls).toEqual(['write 0', 'write 5000', 'write 10000', 'close']);
    expect(seen).toEqual([3, 2, 4]);
    expect(r).toEqual({ stats: { sent: 9, accepted: 9, rejected: 0, requests: 1, retries: 0 }, elapsedMs: 1250, interrupted: false });
    expect(summaryLine('http://gw:8081/v1/detections', r)).toBe(
      'simulate: 9 records sent to http://gw:8081/v1/detections in 1.25 s (7 records/s, 1 requests, 0 retries): 9 accepted, 0 rejected',
    );
  });

  it('stops taking batches once the signal is aborted, still closing the sink', async () => {
    const sink = new FakeSink();
    const stop = new AbortController();
    const r = await feed(from(batches), sink, { now: clock(), signal: stop.signal, onBatch: () => stop.abort() });
    expect(sink.calls).toEqual(['write 0', 'close']);
    expect(r.interrupted).toBe(true);
    expect(summaryLine('kafka://k:9092', { ...r, stats: { sent: 3, requests: 1, retries: 0 } })).toBe(
      'simulate (interrupted): 3 records sent to kafka://k:9092 in 1.25 s (2 records/s, 1 requests, 0 retries)',
    );
  });

  it('returns the first failure with what was delivered before it', async () => {
    const sink = new FakeSink(1);
    const r = await feed(from(batches), sink, { now: clock() });
    expect(sink.calls).toEqual(['write 0', 'write 5000', 'close']);
    expect(r.error?.message).toBe('refused');
    expect(r.stats.sent).toBe(3);
    expect(summaryLine('x', { ...r, stats: { ...r.stats, rejected: 1, firstRejection: 'record 0, lane: detector D is in lane 2, not 1' } })).toBe(
      'simulate (failed): 3 records sent to x in 1.25 s (2 records/s, 1 requests, 0 retries): 3 accepted, 1 rejected (first: record 0, lane: detector D is in lane 2, not 1)',
    );
  });
});

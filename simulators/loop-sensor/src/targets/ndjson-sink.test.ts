import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { batchText } from '../ndjson.js';
import { all, simulate } from '../test-support/fixtures.js';
import { feed } from './feed.js';
import { NdjsonSink } from './ndjson-sink.js';

/** A stream with a tiny buffer, so every write applies backpressure; it records writes and end(). */
function recording(): Writable & { text: string; writes: number; ended: boolean } {
  const out = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, cb) {
      out.text += chunk.toString();
      out.writes++;
      setImmediate(cb);
    },
    final(cb) {
      out.ended = true;
      cb();
    },
  }) as Writable & { text: string; writes: number; ended: boolean };
  Object.assign(out, { text: '', writes: 0, ended: false });
  return out;
}

async function* from<T>(xs: readonly T[]): AsyncGenerator<T> {
  yield* xs;
}

describe('NdjsonSink', () => {
  const batches = simulate({ minutes: 3 });
  const nonEmpty = batches.filter((b) => b.detections.length > 0).length;

  it('writes what `saferoads simulate` always wrote, in one big write when not paced', async () => {
    const out = recording();
    const result = await feed(from(batches), new NdjsonSink(out, { name: 'f', flushEachBatch: false, end: true }));
    expect(out.text).toBe(batchText(all(batches)));
    expect([out.writes, out.ended]).toEqual([1, true]);
    expect(result.stats).toEqual({ sent: all(batches).length, requests: 1, retries: 0 });
  });

  it('writes each batch when paced, and leaves stdout open', async () => {
    const out = recording();
    await feed(from(batches), new NdjsonSink(out, { name: 'stdout', flushEachBatch: true, end: false }));
    expect(out.text).toBe(batchText(all(batches)));
    expect([out.writes, out.ended]).toEqual([nonEmpty, false]);
  });
});

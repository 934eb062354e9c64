import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { batchText } from '../ndjson.js';
import { all, simulate } from '../test-support/fixtures.js';
import { writeBatches } from './write.js';

async function* from<T>(xs: readonly T[]): AsyncGenerator<T> {
  yield* xs;
}

/** A slow sink with a tiny buffer, so every write applies backpressure. */
function slowSink(): Writable & { text: string; drains: number } {
  const sink = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, cb) {
      sink.text += chunk.toString();
      setImmediate(cb);
    },
  }) as Writable & { text: string; drains: number };
  sink.text = '';
  sink.drains = 0;
  sink.on('drain', () => sink.drains++);
  return sink;
}

describe('writeBatches', () => {
  const batches = simulate({ minutes: 3 });

  it('writes every line in order and waits for the sink to drain', async () => {
    const sink = slowSink();
    const lines = await writeBatches(from(batches), sink, { flushEachBatch: true });
    expect(lines).toBe(all(batches).length);
    expect(sink.text).toBe(batchText(all(batches)));
    expect(sink.drains).toBeGreaterThan(0);
  });

  it('batches lines into big writes when not paced', async () => {
    const sink = slowSink();
    let writes = 0;
    const orig = sink.write.bind(sink);
    sink.write = ((chunk: string) => {
      writes++;
      return orig(chunk);
    }) as typeof sink.write;
    const seen: number[] = [];
    await writeBatches(from(batches), sink, { flushEachBatch: false, onBatch: (b) => seen.push(b.untilMs) });
    expect(writes).toBe(1);
    expect(seen).toEqual(batches.map((b) => b.untilMs));
  });
});

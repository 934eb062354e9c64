import { Readable, Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteChunkWriter, forEachLine, forEachLineBytes } from './ndjson.js';

/** Bytes of text with newlines, CRs, multi-byte characters and broken UTF-8. */
const bytes = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.string({ maxLength: 12 }).map((s) => [...Buffer.from(s, 'utf8')]) },
      { weight: 2, arbitrary: fc.constantFrom([0x0a], [0x0d, 0x0a], [0x0d], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x9a, 0x97], [0xef, 0xbb, 0xbf]) },
      { weight: 1, arbitrary: fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 3 }) },
    ),
    { maxLength: 30 },
  )
  .map((parts) => Buffer.from(parts.flat()));

/** The same bytes in chunks cut at the given places. */
function chunked(data: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const c of at) {
    chunks.push(data.subarray(from, c));
    from = c;
  }
  chunks.push(data.subarray(from));
  return chunks.filter((c) => c.length > 0);
}

describe('forEachLineBytes', () => {
  it('gives the lines and line numbers forEachLine gives, however the bytes are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(bytes, fc.array(fc.nat(), { maxLength: 6 }), async (data, cuts) => {
        const expected: [string, number][] = [];
        const expectedCount = await forEachLine(Readable.from(chunked(data, cuts)), (line, n) => expected.push([line, n]));
        const actual: [string, number][] = [];
        const count = await forEachLineBytes(Readable.from(chunked(data, cuts)), (b, start, end, n) => actual.push([b.toString('utf8', start, end), n]));
        expect(actual).toEqual(expected);
        expect(count).toBe(expectedCount);
      }),
      { numRuns: 2_000 },
    );
  });

  it('awaits afterChunk after every chunk', async () => {
    const seen: string[] = [];
    await forEachLineBytes(
      Readable.from([Buffer.from('a\nb'), Buffer.from('c\nd')]),
      (b, start, end) => seen.push(b.toString('utf8', start, end)),
      async () => {
        seen.push('|');
      },
    );
    expect(seen).toEqual(['a', '|', 'bc', '|', 'd']);
  });
});

describe('ByteChunkWriter', () => {
  it('hands on every byte in order, in chunks, waiting while the destination is full', async () => {
    const received: Buffer[] = [];
    let writes = 0;
    const slow = new Writable({
      highWaterMark: 64,
      write(chunk: Buffer, _enc, done) {
        writes++;
        received.push(Buffer.from(chunk));
        setImmediate(done);
      },
    });
    const w = new ByteChunkWriter(slow, 100);
    const expected: number[] = [];
    let waited = 0;
    for (let i = 0; i < 1_000; i++) {
      const n = 1 + (i % 37);
      const full = w.room(n);
      for (let k = 0; k < n; k++) {
        w.buf[w.pos++] = (i + k) & 0xff;
        expected.push((i + k) & 0xff);
      }
      if (full) {
        waited++;
        await w.drain();
      }
    }
    await w.end();
    expect(Buffer.concat(received)).toEqual(Buffer.from(expected));
    expect(writes).toBeGreaterThan(100);
    expect(waited).toBeGreaterThan(0);
  });

  it('makes room for a line longer than a chunk', async () => {
    const received: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        received.push(Buffer.from(chunk));
        done();
      },
    });
    const w = new ByteChunkWriter(sink, 8);
    w.room(3);
    w.pos += w.buf.write('abc', w.pos);
    w.room(20);
    w.pos += w.buf.write('0123456789abcdefghij', w.pos);
    await w.end();
    expect(Buffer.concat(received).toString()).toBe('abc0123456789abcdefghij');
  });
});

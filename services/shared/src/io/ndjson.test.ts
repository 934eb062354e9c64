import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachLine, forEachLineBytes } from './ndjson.js';

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

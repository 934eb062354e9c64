import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { linearGrouping, nativeCrc, recordBatchCrc } from './kafkajs.js';

/** kafkajs' own JavaScript CRC-32C, compiled from its file (the module cache holds the replacement of its index). */
function kafkajsCrc(): (b: Buffer) => number {
  const file = createRequire(import.meta.url).resolve('kafkajs/src/protocol/recordBatch/crc32C/crc32C.js');
  const module = { exports: undefined as unknown };
  new Function('module', readFileSync(file, 'utf8'))(module);
  return module.exports as (b: Buffer) => number;
}

describe('kafkajs as the bus loads it', () => {
  it('uses the linear grouping and the native CRC-32C', () => {
    expect(linearGrouping).toBe(true);
    expect(nativeCrc).toBe(true);
  });

  it.each([
    ['the check value of CRC-32C (RFC 3720)', '123456789', 0xe3069283],
    ['nothing', '', 0],
    ['32 bytes of zeros (RFC 3720 B.4)', '\u0000'.repeat(32), 0x8a9136aa],
  ])('computes the CRC-32C of %s', (_name, text, crc) => {
    expect(recordBatchCrc(Buffer.from(text, 'latin1'))).toBe(crc);
  });

  it('gives the CRC kafkajs computes, as an unsigned number, for any bytes', () => {
    const reference = kafkajsCrc();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3_000 }), fc.nat({ max: 7 }), (bytes, offset) => {
        // Also on a Buffer that is a view into a larger one, as kafkajs' encoder hands them.
        const inner = Buffer.from(bytes);
        const view = Buffer.concat([Buffer.alloc(offset, 7), inner]).subarray(offset);
        expect(recordBatchCrc(inner)).toBe(reference(inner));
        expect(recordBatchCrc(view)).toBe(reference(inner));
      }),
      { numRuns: 500 },
    );
  });
});

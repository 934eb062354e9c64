import type { BusRecord } from '../bus/port.js';
import { describe, expect, it } from 'vitest';
import { chunkBySize } from './publish.js';

const rec = (key: string | null, value: string): BusRecord => ({ key, value });

describe('chunkBySize', () => {
  it('packs records in order into chunks of at most maxBytes of keys and values', () => {
    const records = [rec('k', 'aaaa'), rec('k', 'bbbb'), rec(null, 'cccccccc'), rec('kk', 'd')];
    expect(chunkBySize(records, 10)).toEqual([[records[0], records[1]], [records[2]], [records[3]]]);
  });

  it('counts bytes, not characters', () => {
    // 'ééé' is 3 characters but 6 bytes in UTF-8: with 'abc' it is 9 bytes, over the limit.
    const records = [rec(null, 'ééé'), rec(null, 'abc')];
    expect(chunkBySize(records, 6)).toEqual([[records[0]], [records[1]]]);
  });

  it('gives a record larger than maxBytes a chunk of its own rather than refusing it', () => {
    const records = [rec(null, 'y'), rec(null, 'x'.repeat(20)), rec(null, 'z')];
    expect(chunkBySize(records, 6)).toEqual([[records[0]], [records[1]], [records[2]]]);
  });

  it('makes no chunk of no records', () => {
    expect(chunkBySize([], 10)).toEqual([]);
  });
});

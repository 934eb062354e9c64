import { describe, expect, it } from 'vitest';
import type { ConsumedRecord } from '@saferoads/shared/bus';
import { CHECKPOINT_FORMAT, checkpointRecord, readCheckpoint } from './checkpoint.js';

const state = Uint8Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? i & 0xff : 0));
const consumed = (p = 2, next = 1234): ConsumedRecord => ({ ...checkpointRecord(p, state, next), offset: 77 });

describe('checkpoint records', () => {
  it('round-trip the state bytes and the input offset, keyed and placed by partition', () => {
    const rec = checkpointRecord(2, state, 1234);
    expect(rec).toMatchObject({ key: 'partition-2', partition: 2, headers: { format: CHECKPOINT_FORMAT, offset: '1234' } });
    // Deflated: a state of mostly zero bytes takes a fraction of its size.
    expect(rec.value.length).toBeLessThan(state.length / 2);
    const back = readCheckpoint(consumed(), 2);
    expect(back.offset).toBe(1234);
    expect(Buffer.from(back.state).equals(Buffer.from(state))).toBe(true);
  });

  it.each([
    ['another format', (r: ConsumedRecord) => ({ ...r, headers: { ...r.headers, format: 'other/9' } }), 'format "other/9", expected saferoads.traffic-stats.checkpoint/1'],
    ['another partition', (r: ConsumedRecord) => ({ ...r, key: 'partition-3' }), 'key "partition-3", expected "partition-2"'],
    ['no offset', (r: ConsumedRecord) => ({ ...r, headers: { format: CHECKPOINT_FORMAT } }), 'offset header null is not an offset'],
    ['a negative offset', (r: ConsumedRecord) => ({ ...r, headers: { format: CHECKPOINT_FORMAT, offset: '-1' } }), 'offset header "-1" is not an offset'],
    ['a damaged state', (r: ConsumedRecord) => ({ ...r, value: 'AAAA' + r.value.slice(4) }), 'the state does not inflate'],
  ])('are refused with %s', (_label, damage, message) => {
    expect(() => readCheckpoint(damage(consumed()), 2)).toThrow(`checkpoint at offset 77 of partition 2: ${message}`);
  });
});

import { describe, expect, it } from 'vitest';
import { detection } from '../testing/harness.js';
import { detectionRecord, detectionRecords, type RecordPacking } from './records.js';

describe('bus records of a batch', () => {
  it('keys a detection by its segment, stamps it with its event time and keeps only contract fields', () => {
    const d = { ...detection('A13-S-001-L1', 1), gapS: 1.5, note: 'x' };
    expect(detectionRecord({ index: 0, detection: d, segmentId: 'A13-S-001' })).toEqual({
      key: 'A13-S-001',
      value: JSON.stringify({ ...detection('A13-S-001-L1', 1), gapS: 1.5 }),
      timestamp: d.ts,
    });
  });
});

describe('packing a batch into records', () => {
  const at = (segmentId: string, ts: number) => ({ index: 0, segmentId, detection: { ...detection(`${segmentId}-L1`, 1), ts } });
  const T = 1_773_118_800_000;
  const line = (segmentId: string, ts: number) => JSON.stringify(at(segmentId, ts).detection);
  const batch = [at('A', T), at('B', T + 100), at('A', T + 200), at('A', T + 300), at('B', T + 400), at('A', T + 1_500), at('B', T + 450), at('A', T + 1_600)];

  it('gives each detection its own record with one per record, as DESIGN.md has the topic', () => {
    expect(detectionRecords(batch, { detectionsPerRecord: 1, recordSpanMs: 1_000 })).toEqual(batch.map(detectionRecord));
  });

  it.each([
    [
      'a segment per record, in the order of its first detection, within 1 s',
      { detectionsPerRecord: 100, recordSpanMs: 1_000 },
      [
        ['A', [T, T + 200, T + 300], T + 300],
        ['B', [T + 100, T + 400, T + 450], T + 450],
        ['A', [T + 1_500, T + 1_600], T + 1_600],
      ],
    ],
    [
      'at most two a record',
      { detectionsPerRecord: 2, recordSpanMs: 1_000 },
      [
        ['A', [T, T + 200], T + 200],
        ['B', [T + 100, T + 400], T + 400],
        ['A', [T + 300], T + 300],
        ['A', [T + 1_500, T + 1_600], T + 1_600],
        ['B', [T + 450], T + 450],
      ],
    ],
    [
      'a span of 0: only detections of the same instant share a record',
      { detectionsPerRecord: 100, recordSpanMs: 0 },
      batch.map((a) => [a.segmentId, [a.detection.ts], a.detection.ts]),
    ],
  ] as [string, RecordPacking, [string, number[], number][]][])('packs %s', (_name, packing, expected) => {
    expect(detectionRecords(batch, packing)).toEqual(
      expected.map(([key, times, timestamp]) => ({ key, value: times.map((ts) => line(key, ts)).join('\n'), timestamp })),
    );
  });

  it('starts a new record when a detection earlier than the record would stretch it past the span', () => {
    const late = [at('A', T + 2_000), at('A', T + 2_500), at('A', T + 900), at('A', T + 1_200)];
    expect(detectionRecords(late, { detectionsPerRecord: 100, recordSpanMs: 1_000 }).map((r) => r.value.split('\n').length)).toEqual([2, 2]);
  });
});

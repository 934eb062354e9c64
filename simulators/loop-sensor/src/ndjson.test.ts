import type { Detection } from '@saferoads/shared';
import { describe, expect, it } from 'vitest';
import { batchText, detectionLine } from './ndjson.js';

describe('detectionLine', () => {
  it('is byte-identical to JSON.stringify in contract field order', () => {
    const ds: Detection[] = [
      { detectorId: 'A13-N-001-L1', lane: 1, ts: 1773125400147, speedKmh: 88.9, lengthM: 18.3, occupancyMs: 822, seq: 0 },
      { detectorId: 'odd "id" \\ ü', lane: 2, ts: 1773125400202, speedKmh: 112, lengthM: 4.8, occupancyMs: 217, gapS: 1.234, seq: 17 },
      { detectorId: 'bare', lane: 1, ts: 1773125400000, speedKmh: 0.1, lengthM: 2 },
    ];
    for (const d of ds) expect(detectionLine(d)).toBe(JSON.stringify(d));
    expect(batchText(ds)).toBe(ds.map((d) => JSON.stringify(d) + '\n').join(''));
  });

  it('distinguishes the same detector id in different lanes', () => {
    const a: Detection = { detectorId: 'D', lane: 1, ts: 1773125400000, speedKmh: 90, lengthM: 4.5 };
    expect(detectionLine(a)).toBe(JSON.stringify(a));
    expect(detectionLine({ ...a, lane: 2 })).toBe(JSON.stringify({ ...a, lane: 2 }));
  });
});

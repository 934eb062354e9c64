import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { niceCeil, segmentSeries, yRange } from './chart-data.js';
import { score } from './fixtures.js';
import type { TrafficStats } from './types.js';

function stats(windowEndMs: number, meanSpeedKmh: number | null, flowVehH: number, window: '1m' | '10m' = '1m'): TrafficStats {
  return {
    segmentId: 'A', window, windowStartMs: windowEndMs - 60_000, windowEndMs, count: flowVehH / 60, flowVehH, meanSpeedKmh, harmonicMeanSpeedKmh: null, speedStdKmh: null, speedCv: null,
    p85SpeedKmh: null, shareOverLimit: null, meanGapS: null, minGapS: null, shareGapUnder1s: null, shareGapUnder2s: null, occupancy: 0, truckShare: null, laneSpeedSpreadKmh: null, densityVehKm: 0, lateCount: 0,
  };
}

describe('segment series', () => {
  it('aligns stats and scores on their minutes, with gaps as null, in epoch seconds', () => {
    const s = segmentSeries(
      [stats(180_000, 95, 1200), stats(60_000, 100, 600), stats(120_000, null, 0), stats(120_000, 50, 50, '10m')],
      [score({ windowEndMs: 120_000, relativeRisk: 2 }), score({ windowEndMs: 240_000, relativeRisk: 3 })],
    );
    expect(s).toEqual({
      t: [60, 120, 180, 240],
      speedKmh: [100, null, 95, null],
      flowVehH: [600, 0, 1200, null],
      relativeRisk: [null, 2, null, 3],
    });
  });

  it('is empty without data', () => {
    expect(segmentSeries([], [])).toEqual({ t: [], speedKmh: [], flowVehH: [], relativeRisk: [] });
  });
});

describe('chart scales', () => {
  it.each([
    [0.3, 0.3],
    [1, 1],
    [1.01, 1.2],
    [1.3, 1.5],
    [2.2, 2.5],
    [3, 3],
    [3.5, 4],
    [7, 8],
    [9, 10],
    [100, 100],
    [104, 120],
    [1830, 2000],
    [0.07, 0.08],
  ])('niceCeil(%d) = %d', (v, nice) => {
    expect(niceCeil(v)).toBeCloseTo(nice, 12);
  });

  it('is never below the value and never more than a third above it', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), (v) => {
        const n = niceCeil(v);
        expect(n).toBeGreaterThanOrEqual(v * (1 - 1e-12));
        expect(n).toBeLessThanOrEqual((v * 4) / 3 + 1e-9 * v);
      }),
    );
  });

  it('refuses what has no nice ceiling', () => {
    expect(() => niceCeil(0)).toThrow('niceCeil needs a positive finite number, got 0');
    expect(() => niceCeil(Number.NaN)).toThrow(RangeError);
  });

  it('ranges from zero to the nice ceiling of the data or the floor given', () => {
    expect(yRange([80, null, 132], 100)).toEqual([0, 150]);
    expect(yRange([null, 3], 100)).toEqual([0, 100]);
    expect(yRange([], 4.5)).toEqual([0, 5]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalJson, encodeTrafficStats } from './stats-codec.js';
import type { TrafficStats } from './stats.js';

const rounded = (decimals: number, max: number) =>
  fc.double({ min: -max, max, noNaN: true, noDefaultInfinity: true }).map((x) => Math.round(x * 10 ** decimals) / 10 ** decimals);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });

const record: fc.Arbitrary<TrafficStats> = fc.record({
  segmentId: fc.string({ minLength: 1, maxLength: 20 }),
  window: fc.constantFrom('1m' as const, '10m' as const),
  windowStartMs: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  windowEndMs: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  count: fc.nat({ max: 100_000 }),
  flowVehH: rounded(1, 1e6).map(Math.abs),
  meanSpeedKmh: maybe(rounded(3, 400)),
  harmonicMeanSpeedKmh: maybe(rounded(3, 400)),
  speedStdKmh: maybe(rounded(3, 400)),
  speedCv: maybe(rounded(5, 10)),
  p85SpeedKmh: maybe(rounded(3, 400)),
  shareOverLimit: maybe(rounded(5, 1)),
  meanGapS: maybe(rounded(4, 90_000)),
  minGapS: maybe(rounded(4, 90_000)),
  shareGapUnder1s: maybe(rounded(5, 1)),
  shareGapUnder2s: maybe(rounded(5, 1)),
  occupancy: rounded(5, 1).map(Math.abs),
  truckShare: maybe(rounded(5, 1)),
  laneSpeedSpreadKmh: maybe(rounded(3, 400)),
  densityVehKm: rounded(3, 1e5).map(Math.abs),
  lateCount: fc.nat({ max: 100_000 }),
});

describe('traffic stats codec', () => {
  it('writes exactly what JSON.stringify writes for records rounded as the aggregator rounds them', () => {
    fc.assert(
      fc.property(record, (r) => {
        expect(encodeTrafficStats(r)).toBe(JSON.stringify(r));
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    [97.5, 3, '97.5'],
    [0.00001, 5, '0.00001'],
    [-0.5, 1, '-0.5'],
    [-0, 3, '0'],
    [660, 1, '660'],
    [12.0004, 4, '12.0004'],
  ])('decimalJson(%d, %d) = %s', (x, decimals, text) => {
    expect(decimalJson(x, decimals)).toBe(text);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalJson, encodeTrafficStats, encodeTrafficStatsInto, maxTrafficStatsBytes } from './stats-codec.js';
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

/** Any number at all in any field: what no aggregator writes, but the byte encoder must still match. */
const anyNumber = fc.oneof(
  fc.double(),
  fc.integer({ min: -3_000_000_000, max: 3_000_000_000 }).map((n) => n / 1000),
  fc.constantFrom(-0, 0.5, 1e21, 2 ** 53, 2 ** 53 + 2, 999_999_999.5, 1e9, 1e9 - 1, 5e-7, -1e-9),
  fc.nat({ max: 2 ** 31 }).map((n) => n / 10 ** 5),
);
const wild: fc.Arbitrary<TrafficStats> = fc.record({
  segmentId: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 8 })),
  window: fc.constantFrom('1m' as const, '10m' as const),
  windowStartMs: fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }), anyNumber, fc.constantFrom(1e9, 2e9 - 1, 2 ** 53 - 1, 1_999_999_999_999)),
  windowEndMs: fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }), anyNumber),
  count: fc.oneof(fc.nat(), anyNumber),
  flowVehH: anyNumber,
  meanSpeedKmh: maybe(anyNumber),
  harmonicMeanSpeedKmh: maybe(anyNumber),
  speedStdKmh: maybe(anyNumber),
  speedCv: maybe(anyNumber),
  p85SpeedKmh: maybe(anyNumber),
  shareOverLimit: maybe(anyNumber),
  meanGapS: maybe(anyNumber),
  minGapS: maybe(anyNumber),
  shareGapUnder1s: maybe(anyNumber),
  shareGapUnder2s: maybe(anyNumber),
  occupancy: anyNumber,
  truckShare: maybe(anyNumber),
  laneSpeedSpreadKmh: maybe(anyNumber),
  densityVehKm: anyNumber,
  lateCount: fc.oneof(fc.nat(), anyNumber),
});

/** encodeTrafficStatsInto's bytes for r, written at an offset into a larger buffer. */
function encodedBytes(r: TrafficStats, at: number): Buffer {
  const buf = Buffer.alloc(at + maxTrafficStatsBytes(r) + 8, 0xff);
  const end = encodeTrafficStatsInto(r, buf, at);
  expect(end - at).toBeLessThanOrEqual(maxTrafficStatsBytes(r));
  expect(buf[end]).toBe(0xff);
  return buf.subarray(at, end);
}

describe('traffic stats codec', () => {
  it('writes into bytes exactly the UTF-8 of encodeTrafficStats, for aggregator records and for any numbers', () => {
    fc.assert(
      fc.property(fc.oneof(record, wild), fc.nat({ max: 40 }), (r, at) => {
        expect(encodedBytes(r, at).toString('hex')).toBe(Buffer.from(encodeTrafficStats(r), 'utf8').toString('hex'));
      }),
      { numRuns: 5_000 },
    );
  });

  it('writes a real record byte for byte', () => {
    const r: TrafficStats = {
      segmentId: 'A13-N-025',
      window: '10m',
      windowStartMs: 1_773_118_800_000,
      windowEndMs: 1_773_119_400_000,
      count: 96,
      flowVehH: 576,
      meanSpeedKmh: 101.234,
      harmonicMeanSpeedKmh: 99.5,
      speedStdKmh: 14.02,
      speedCv: 0.13849,
      p85SpeedKmh: 117.3,
      shareOverLimit: 0.04167,
      meanGapS: 5.1234,
      minGapS: 0,
      shareGapUnder1s: null,
      shareGapUnder2s: 0.0001,
      occupancy: 0.01234,
      truckShare: 0.1875,
      laneSpeedSpreadKmh: 12.5,
      densityVehKm: 5.789,
      lateCount: 0,
    };
    expect(encodedBytes(r, 3).toString('utf8')).toBe(JSON.stringify(r));
  });

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

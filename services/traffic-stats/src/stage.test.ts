import { describe, expect, it } from 'vitest';
import type { Detection, FieldError, TrafficStats } from '@saferoads/shared/contracts';
import { TrafficStatsStage } from './stage.js';
import { tinyNetwork } from './testing/tiny-network.js';

const network = tinyNetwork([
  { id: 'S1', lanes: 2, speedLimitKmh: 100 },
  { id: 'IDLE', lanes: 2, speedLimitKmh: 100 },
]);
const T0 = Date.UTC(2026, 2, 10, 7, 0, 0);
const S = 1000;

function harness(config = { outOfOrdernessMs: 5_000, graceMs: 10_000 }) {
  const stats: TrafficStats[] = [];
  const late: Detection[] = [];
  const rejected: { d: Detection; errors: FieldError[] }[] = [];
  const stage = new TrafficStatsStage({
    network,
    config,
    sink: { stats: (r) => stats.push(r), late: (d) => late.push(d), rejected: (d, errors) => rejected.push({ d, errors }) },
  });
  const feed = (...ds: Partial<Detection>[]) => {
    for (const d of ds) stage.process({ detectorId: 'S1-L1', lane: 1, ts: T0, speedKmh: 90, lengthM: 4.5, ...d }, 0);
  };
  const find = (seg: string, window: '1m' | '10m', endMs: number) => stats.find((r) => r.segmentId === seg && r.window === window && r.windowEndMs === endMs);
  return { stage, stats, late, rejected, feed, find };
}

describe('TrafficStatsStage: lateness', () => {
  it('an out-of-order event within grace is counted in its window', () => {
    const h = harness();
    h.feed({ ts: T0 + 10 * S }, { ts: T0 + 70 * S }, { ts: T0 + 50 * S }); // 50 s arrives after 70 s: watermark 65 s
    h.stage.flush();
    expect(h.find('S1', '1m', T0 + 60 * S)?.count).toBe(2);
    expect(h.stage.counters.outOfOrder).toBe(1);
    expect(h.late).toEqual([]);
  });

  it('an event beyond grace is late: kept, counted per segment, and in no window', () => {
    const h = harness();
    h.feed({ ts: T0 + 10 * S }, { ts: T0 + 76 * S }); // watermark 71 s >= 60 s + 10 s grace: minute 0 closed
    expect(h.find('S1', '1m', T0 + 60 * S)?.count).toBe(1);
    h.feed({ ts: T0 + 30 * S, seq: 99 });
    h.stage.flush();
    expect(h.late.map((d) => d.seq)).toEqual([99]);
    expect(h.stage.counters.late).toBe(1);
    expect(h.find('S1', '1m', T0 + 120 * S)).toMatchObject({ count: 1, lateCount: 1 });
    expect(h.find('IDLE', '1m', T0 + 120 * S)).toMatchObject({ count: 0, lateCount: 0 });
  });

  it.each([
    ['exactly at end + grace the window has closed', 70 * S, true],
    ['1 ms before end + grace it is still open', 70 * S - 1, false],
  ])('%s', (_name, watermarkAt, isLate) => {
    const h = harness();
    h.feed({ ts: T0 + 1 * S }, { ts: T0 + watermarkAt + 5 * S }, { ts: T0 + 59 * S, seq: 1 });
    expect(h.late.length).toBe(isLate ? 1 : 0);
  });
});

describe('TrafficStatsStage: idle segments and windows', () => {
  it('a segment with no traffic still gets every window, with count 0', () => {
    const h = harness();
    for (let m = 0; m < 12; m++) h.feed({ ts: T0 + m * 60 * S + 30 * S });
    h.stage.flush();
    const idle = h.stats.filter((r) => r.segmentId === 'IDLE');
    expect(idle.filter((r) => r.window === '1m').map((r) => (r.windowEndMs - T0) / (60 * S))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(idle.filter((r) => r.window === '10m').map((r) => (r.windowEndMs - T0) / (60 * S))).toEqual([10, 11, 12]);
    expect(idle[0]).toEqual({
      segmentId: 'IDLE', window: '1m', windowStartMs: T0, windowEndMs: T0 + 60 * S, count: 0, flowVehH: 0,
      meanSpeedKmh: null, harmonicMeanSpeedKmh: null, speedStdKmh: null, speedCv: null, p85SpeedKmh: null, shareOverLimit: null,
      meanGapS: null, minGapS: null, shareGapUnder1s: null, shareGapUnder2s: null, occupancy: 0, truckShare: null,
      laneSpeedSpreadKmh: null, densityVehKm: 0, lateCount: 0,
    });
    // the stream begins in the first detection's minute, so the first 10-minute window is [T0, T0 + 10 min)
    expect(h.find('S1', '10m', T0 + 10 * 60 * S)?.count).toBe(10);
  });
});

describe('TrafficStatsStage: statistics of one window (exact values)', () => {
  it('computes every field from a hand-checked minute', () => {
    const h = harness({ outOfOrdernessMs: 0, graceMs: 0 });
    h.feed(
      { detectorId: 'S1-L1', lane: 1, ts: T0 + 1 * S, speedKmh: 90, lengthM: 18, seq: 0 },
      { detectorId: 'S1-L1', lane: 1, ts: T0 + 4 * S, speedKmh: 72, lengthM: 4, seq: 1 },
      { detectorId: 'S1-L2', lane: 2, ts: T0 + 5 * S, speedKmh: 120, lengthM: 5, seq: 0 },
      { detectorId: 'S1-L2', lane: 2, ts: T0 + 6 * S, speedKmh: 108, lengthM: 4, occupancyMs: 300, seq: 1 },
    );
    h.stage.flush();
    const r = h.find('S1', '1m', T0 + 60 * S) as TrafficStats;
    // gaps: lane 1: 3 s - 18 m / 25 m/s = 2.28 s; lane 2: 1 s - 5 m / 33.33 m/s = 0.85 s
    const occ = ((18 + 2) / 25 + (4 + 2) / 20 + (5 + 2) / (120 / 3.6)) * 1000 + 300;
    expect(r).toEqual({
      segmentId: 'S1', window: '1m', windowStartMs: T0, windowEndMs: T0 + 60 * S,
      count: 4,
      flowVehH: 240,
      meanSpeedKmh: 97.5,
      harmonicMeanSpeedKmh: 93.913, // 4 / (1/90 + 1/72 + 1/120 + 1/108)
      speedStdKmh: 18.187, // sqrt((7.5² + 25.5² + 22.5² + 10.5²) / 4) = sqrt(330.75)
      speedCv: 0.18653,
      p85SpeedKmh: 114.6, // sorted 72, 90, 108, 120; rank 2.55: 108 + (120 - 108) * 0.55
      shareOverLimit: 0.5,
      meanGapS: 1.565,
      minGapS: 0.85,
      shareGapUnder1s: 0.5,
      shareGapUnder2s: 0.5,
      occupancy: Math.round((occ / (60_000 * 2)) * 1e5) / 1e5,
      truckShare: 0.25,
      laneSpeedSpreadKmh: 33, // lane 2 mean 114 - lane 1 mean 81
      densityVehKm: 2.556, // 240 / 93.913
      lateCount: 0,
    });
  });

  it('p85 is within 0.5 km/h of the exact value and exact for whole km/h', () => {
    const h = harness({ outOfOrdernessMs: 0, graceMs: 0 });
    const speeds = [81.3, 97.9, 102.4, 88.8, 130.2, 95.5, 99.9, 110.1, 77.7, 104.6];
    speeds.forEach((v, i) => h.feed({ ts: T0 + i * S, speedKmh: v, seq: i }));
    h.stage.flush();
    const sorted = [...speeds].sort((a, b) => a - b);
    const k = 9 * 0.85;
    const exact = sorted[7] + (sorted[8] - sorted[7]) * (k - 7);
    const got = h.find('S1', '1m', T0 + 60 * S)?.p85SpeedKmh as number;
    expect(Math.abs(got - exact)).toBeLessThanOrEqual(0.5);
    expect(got).toBe(108.25); // ranks 7 and 8 read as bin centres 105 and 110: 105 + 5 * 0.65
  });
});

describe('TrafficStatsStage: gap derivation', () => {
  it.each([
    ['headway 2 s, 5 m car at 90 km/h', 2_000, 5, 90, 1.8],
    ['overlap reads as zero gap', 100, 10, 36, 0],
    ['long truck at low speed', 10_000, 16.5, 18, 6.7],
  ])('%s', (_name, headwayMs, prevLength, prevSpeed, gap) => {
    const h = harness({ outOfOrdernessMs: 0, graceMs: 0 });
    h.feed({ ts: T0 + 1 * S, lengthM: prevLength, speedKmh: prevSpeed, seq: 0 }, { ts: T0 + 1 * S + headwayMs, seq: 1 });
    h.stage.flush();
    expect(h.find('S1', '1m', T0 + 60 * S)).toMatchObject({ meanGapS: gap, minGapS: gap });
  });

  it('a gap the controller reports wins over the derived one', () => {
    const h = harness({ outOfOrdernessMs: 0, graceMs: 0 });
    h.feed({ ts: T0 + 1 * S, seq: 0 }, { ts: T0 + 3 * S, gapS: 0.42, seq: 1 });
    h.stage.flush();
    expect(h.find('S1', '1m', T0 + 60 * S)).toMatchObject({ meanGapS: 0.42, minGapS: 0.42 });
  });

  it('vehicles reordered within the out-of-orderness bound get the gaps of the true order', () => {
    const h = harness({ outOfOrdernessMs: 5_000, graceMs: 0 });
    h.feed({ ts: T0 + 1 * S, seq: 0 }, { ts: T0 + 4 * S, seq: 2 }, { ts: T0 + 2 * S, seq: 1 });
    h.stage.flush();
    // 4.5 m at 90 km/h occupies 0.18 s: gaps 0.82 s and 1.82 s
    expect(h.find('S1', '1m', T0 + 60 * S)).toMatchObject({ meanGapS: 1.32, minGapS: 0.82 });
  });
});

describe('TrafficStatsStage: bad input', () => {
  it('rejects unknown detectors and wrong lanes with the field and reason, and keeps the valid records', () => {
    const h = harness();
    h.feed({ detectorId: 'NOPE' }, { lane: 2 }, { seq: 5 });
    expect(h.rejected.map((r) => r.errors)).toEqual([
      [{ field: 'detectorId', reason: 'unknown detector "NOPE" (not in the road network)' }],
      [{ field: 'lane', reason: 'detector S1-L1 is on lane 1, not 2' }],
    ]);
    h.stage.flush();
    expect(h.stage.counters).toMatchObject({ accepted: 1, rejected: 2 });
  });

  it('drops a duplicate by sequence number and counts it', () => {
    const h = harness();
    h.feed({ seq: 7 }, { seq: 8, ts: T0 + S }, { seq: 7 });
    h.stage.flush();
    expect(h.stage.counters.duplicates).toBe(1);
    expect(h.find('S1', '1m', T0 + 60 * S)?.count).toBe(2);
  });
});

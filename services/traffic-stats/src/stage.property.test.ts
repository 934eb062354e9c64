import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Detection, TrafficStats } from '@saferoads/shared/contracts';
import { trafficStatsConfig } from './config.js';
import { TrafficStatsStage } from './stage.js';
import { bruteForceStats } from './testing/brute-force.js';
import { tinyNetwork } from './testing/tiny-network.js';

const network = tinyNetwork([
  { id: 'S1', lanes: 2, speedLimitKmh: 100 },
  { id: 'S2', lanes: 3, speedLimitKmh: 80 },
]);
const detectors = network.segments.flatMap((s) => s.props.detectors);
const T0 = Date.UTC(2026, 2, 10, 7, 0, 0) + 17_000; // not minute-aligned on purpose

const vehicle = fc.record({
  detector: fc.integer({ min: 0, max: detectors.length - 1 }),
  offsetMs: fc.integer({ min: 0, max: 20 * 60_000 }),
  speed: fc.oneof(fc.integer({ min: 3, max: 180 }), fc.integer({ min: 10, max: 2500 }).map((x) => x / 10)),
  length: fc.integer({ min: 20, max: 200 }).map((x) => x / 10),
  occupancyMs: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined }),
  gapS: fc.option(fc.integer({ min: 0, max: 3000 }).map((x) => x / 100), { nil: undefined, freq: 8 }),
});

const scenario = fc.record({
  vehicles: fc.array(vehicle, { maxLength: 250 }),
  order: fc.constantFrom('sorted', 'jitter', 'shuffled'),
  jitterMs: fc.integer({ min: 0, max: 30_000 }),
  delays: fc.array(fc.integer({ min: 0, max: 30_000 }), { minLength: 250, maxLength: 250 }),
  duplicates: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 20 }),
  outOfOrdernessMs: fc.constantFrom(0, 2_000, 5_000, 20_000),
  graceMs: fc.constantFrom(0, 10_000, 45_000),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** Builds the arrival sequence: controller sequence numbers in event-time order, then delivery order and duplicates. */
function arrivals(s: Scenario): Detection[] {
  const dets: Detection[] = s.vehicles.map((v) => {
    const d = detectors[v.detector];
    const det: Detection = { detectorId: d.detectorId, lane: d.lane, ts: T0 + v.offsetMs, speedKmh: v.speed, lengthM: v.length };
    if (v.occupancyMs !== undefined) det.occupancyMs = v.occupancyMs;
    if (v.gapS !== undefined) det.gapS = v.gapS;
    return det;
  });
  const byTs = dets.map((d, i) => ({ d, i })).sort((a, b) => a.d.ts - b.d.ts || a.i - b.i);
  const seq = new Map<string, number>();
  for (const { d } of byTs) {
    const n = seq.get(d.detectorId) ?? 0;
    d.seq = n;
    seq.set(d.detectorId, n + 1);
  }
  let ordered: Detection[];
  if (s.order === 'sorted') ordered = byTs.map((x) => x.d);
  else if (s.order === 'jitter') {
    ordered = byTs
      .map((x, k) => ({ d: x.d, at: x.d.ts + (s.delays[k % s.delays.length] % (s.jitterMs + 1)), k }))
      .sort((a, b) => a.at - b.at || a.k - b.k)
      .map((x) => x.d);
  } else ordered = dets;
  const out = [...ordered];
  for (const [from, to] of s.duplicates) {
    if (ordered.length === 0) break;
    const i = from % ordered.length;
    const j = Math.min(out.length, i + 1 + (to % 20));
    out.splice(j, 0, { ...ordered[i] });
  }
  return out;
}

function run(input: readonly Detection[], outOfOrdernessMs: number, graceMs: number) {
  const emitted: TrafficStats[] = [];
  const late: Detection[] = [];
  const stage = new TrafficStatsStage({
    network,
    config: { outOfOrdernessMs, graceMs },
    sink: { stats: (r) => emitted.push(r), late: (d) => late.push(d), rejected: () => undefined },
  });
  for (const d of input) stage.process(d, 0);
  stage.flush();
  return { emitted, late, stage };
}

const TOLERANCE: Partial<Record<keyof TrafficStats, number>> = {
  flowVehH: 0.051,
  meanSpeedKmh: 0.0006,
  harmonicMeanSpeedKmh: 0.0006,
  speedStdKmh: 0.0006,
  speedCv: 0.000006,
  shareOverLimit: 0.000006,
  meanGapS: 0.00006,
  minGapS: 0.00006,
  shareGapUnder1s: 0.000006,
  shareGapUnder2s: 0.000006,
  occupancy: 0.000006,
  truckShare: 0.000006,
  laneSpeedSpreadKmh: 0.0006,
  densityVehKm: 0.0006,
};

describe('traffic statistics against a brute-force oracle', () => {
  it('every field of every window matches, in and out of order, with duplicates and late events', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const input = arrivals(s);
        const cfg = trafficStatsConfig({ outOfOrdernessMs: s.outOfOrdernessMs, graceMs: s.graceMs });
        const expected = bruteForceStats(network, input, cfg);
        const { emitted, late, stage } = run(input, s.outOfOrdernessMs, s.graceMs);

        const keys = emitted.map((r) => `${r.segmentId}|${r.window}|${r.windowEndMs}`);
        expect(new Set(keys).size).toBe(keys.length); // one record per segment and window
        expect([...keys].sort()).toEqual([...expected.keys()].sort());
        let lateTotal = 0;
        for (const r of emitted) {
          const e = expected.get(`${r.segmentId}|${r.window}|${r.windowEndMs}`);
          if (!e) throw new Error('unexpected window');
          expect(r.windowStartMs).toBe(e.windowStartMs);
          expect(r.count).toBe(e.count);
          expect(r.lateCount).toBe(e.lateCount);
          if (r.window === '1m') lateTotal += r.lateCount;
          for (const [field, tol] of Object.entries(TOLERANCE) as [keyof TrafficStats, number][]) {
            const got = r[field] as number | null;
            const want = e[field] as number | null;
            if (want === null || got === null) expect([field, got]).toEqual([field, want]);
            else if (Math.abs(got - want) > tol) expect([field, got]).toEqual([field, want]);
          }
          if (e.p85Exact === null) expect(r.p85SpeedKmh).toBeNull();
          else expect(Math.abs((r.p85SpeedKmh as number) - e.p85Exact)).toBeLessThanOrEqual(0.5 + 0.0006);
        }
        expect(lateTotal).toBe(late.length);
        expect(stage.counters.late).toBe(late.length);
      }),
      { numRuns: 300 },
    );
  });
});

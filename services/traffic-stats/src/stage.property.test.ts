import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Detection, TrafficStats } from '@saferoads/shared/contracts';
import { trafficStatsConfig } from './config.js';
import { TrafficStatsStage } from './stage.js';
import { bruteForceStats } from './testing/brute-force.js';
import { arrivals, network, scenario } from './testing/streams.js';

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

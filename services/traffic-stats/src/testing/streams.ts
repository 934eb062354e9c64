import fc from 'fast-check';
import type { Detection } from '@saferoads/shared/contracts';
import { tinyNetwork } from './tiny-network.js';

/** Random detection streams for property tests: a two-segment network, vehicles over 20 minutes, delivered sorted, jittered or shuffled, with duplicates. */
export const network = tinyNetwork([
  { id: 'S1', lanes: 2, speedLimitKmh: 100 },
  { id: 'S2', lanes: 3, speedLimitKmh: 80 },
]);
export const detectors = network.segments.flatMap((s) => s.props.detectors);
const T0 = Date.UTC(2026, 2, 10, 7, 0, 0) + 17_000; // not minute-aligned on purpose

const vehicle = fc.record({
  detector: fc.integer({ min: 0, max: detectors.length - 1 }),
  offsetMs: fc.integer({ min: 0, max: 20 * 60_000 }),
  speed: fc.oneof(fc.integer({ min: 3, max: 180 }), fc.integer({ min: 10, max: 2500 }).map((x) => x / 10)),
  length: fc.integer({ min: 20, max: 200 }).map((x) => x / 10),
  occupancyMs: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined }),
  gapS: fc.option(fc.integer({ min: 0, max: 3000 }).map((x) => x / 100), { nil: undefined, freq: 8 }),
});

export const scenario = fc.record({
  vehicles: fc.array(vehicle, { maxLength: 250 }),
  order: fc.constantFrom('sorted', 'jitter', 'shuffled'),
  jitterMs: fc.integer({ min: 0, max: 30_000 }),
  delays: fc.array(fc.integer({ min: 0, max: 30_000 }), { minLength: 250, maxLength: 250 }),
  duplicates: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 20 }),
  outOfOrdernessMs: fc.constantFrom(0, 2_000, 5_000, 20_000),
  graceMs: fc.constantFrom(0, 10_000, 45_000),
});

export type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** Builds the arrival sequence: controller sequence numbers in event-time order, then delivery order and duplicates. */
export function arrivals(s: Scenario): Detection[] {
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


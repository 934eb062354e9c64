import type { ScoreSummary, TrafficStats } from './types.js';

/**
 * uPlot's columnar data for the segment panel: x in epoch seconds on the union of the minutes
 * the stats and scores cover, with null where a series has no value (drawn as a gap, not joined).
 */
export interface SegmentSeries {
  readonly t: number[];
  readonly speedKmh: (number | null)[];
  readonly flowVehH: (number | null)[];
  readonly relativeRisk: (number | null)[];
}

export function segmentSeries(stats: readonly TrafficStats[], scores: readonly ScoreSummary[]): SegmentSeries {
  const minutes = new Map<number, { speed: number | null; flow: number | null; risk: number | null }>();
  const at = (ms: number) => {
    let row = minutes.get(ms);
    if (!row) {
      row = { speed: null, flow: null, risk: null };
      minutes.set(ms, row);
    }
    return row;
  };
  for (const s of stats) {
    if (s.window !== '1m') continue;
    const row = at(s.windowEndMs);
    row.speed = s.meanSpeedKmh;
    row.flow = s.flowVehH;
  }
  for (const s of scores) at(s.windowEndMs).risk = s.relativeRisk;
  const keys = [...minutes.keys()].sort((a, b) => a - b);
  return {
    t: keys.map((k) => k / 1000),
    speedKmh: keys.map((k) => minutes.get(k)!.speed),
    flowVehH: keys.map((k) => minutes.get(k)!.flow),
    relativeRisk: keys.map((k) => minutes.get(k)!.risk),
  };
}

/** Steps of a chart's top value: fine enough that a road at its limit does not get twice the room. */
const NICE = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/** The smallest of NICE x 10^k at or above `v` (v > 0). */
export function niceCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`niceCeil needs a positive finite number, got ${v}`);
  const e = 10 ** Math.floor(Math.log10(v));
  for (const m of NICE) {
    // Rounding: 0.3 / 0.1 is 2.9999999999999996.
    if (m * e >= v * (1 - 1e-12)) return m * e;
  }
  return 10 * e;
}

/**
 * A y range from zero (speeds, flows and risks are read against zero) to a nice value at or above
 * the largest of the data and `atLeast` (the speed limit, the level thresholds), so an empty road
 * does not fill the chart with noise.
 */
export function yRange(values: readonly (number | null)[], atLeast: number): [number, number] {
  let max = atLeast;
  for (const v of values) if (v !== null && v > max) max = v;
  return [0, niceCeil(max)];
}

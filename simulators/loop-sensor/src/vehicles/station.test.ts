import type { Detection } from '@saferoads/shared';
import { describe, expect, it } from 'vitest';
import { LOOP_LENGTH_M } from './detector.js';
import { Station, type StationConditions } from './station.js';

const START = Date.parse('2026-03-10T06:00:00Z');

function run(c: StationConditions, opts: { lanes?: number; minutes?: number; withGaps?: boolean } = {}): Detection[] {
  const lanes = opts.lanes ?? 2;
  const station = new Station(
    {
      segmentId: 'X',
      detectors: Array.from({ length: lanes }, (_, i) => ({ detectorId: `X-L${i + 1}`, lane: i + 1 })),
      lanes,
      xM: 1000,
      road: { limitKmh: 100, gradePct: 0, tunnel: false, surfaceQuality: 1 },
    },
    42,
    START,
    opts.withGaps ?? false,
  );
  const out: Detection[] = [];
  for (let t = START; t < START + (opts.minutes ?? 60) * 60_000; t += 5000) station.generate(t, t + 5000, c, out);
  return out;
}

const free: StationConditions = {
  flow: 1500 / 3600,
  truckShare: 0.25,
  speedMs: 28,
  freeSpeedMs: 28,
  weatherSpeed: 1,
  capacity: 3600 / 3600,
  lanesBlocked: 0,
};
const byLane = (ds: Detection[], lane: number) => ds.filter((d) => d.lane === lane);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

describe('Station', () => {
  const ds = run(free);

  it('produces the traffic model flow', () => {
    expect(ds.length).toBeGreaterThan(1500 * 0.93);
    expect(ds.length).toBeLessThan(1500 * 1.07);
  });

  it('keeps each lane in ts order without overlapping vehicles', () => {
    for (const lane of [1, 2]) {
      const l = byLane(ds, lane);
      for (let i = 1; i < l.length; i++) {
        const gap = (l[i].ts - l[i - 1].ts) / 1000 - l[i - 1].lengthM / (l[i - 1].speedKmh / 3.6);
        expect(gap).toBeGreaterThanOrEqual(0.4 - 1e-9);
      }
    }
  });

  it('reports rounded values, integer times, occupancy with the loop length and seq from 0', () => {
    for (const d of ds) {
      expect(Number.isInteger(d.ts)).toBe(true);
      expect(Math.round(d.speedKmh * 10) / 10).toBe(d.speedKmh);
      expect(Math.round(d.lengthM * 10) / 10).toBe(d.lengthM);
      expect(d.occupancyMs).toBe(Math.round(((d.lengthM + LOOP_LENGTH_M) / (d.speedKmh / 3.6)) * 1000));
      expect(d.gapS).toBeUndefined();
    }
    expect(byLane(ds, 2).map((d) => d.seq)).toEqual(byLane(ds, 2).map((_, i) => i));
  });

  it('keeps lorries right and lets cars drive faster on the left', () => {
    const heavy = (d: Detection) => d.lengthM >= 7.5;
    const trucks = ds.filter(heavy);
    expect(trucks.length / ds.length).toBeGreaterThan(0.23);
    expect(trucks.length / ds.length).toBeLessThan(0.3);
    expect(byLane(trucks, 1).length / trucks.length).toBeGreaterThan(0.85);
    const cars = (lane: number) => byLane(ds, lane).filter((d) => d.lengthM < 5.5).map((d) => d.speedKmh);
    expect(mean(cars(2)) - mean(cars(1))).toBeGreaterThan(7);
    // Cars around the limit x 1.05..1.1 with 8-12 km/h spread; lorries at the limiter.
    expect(mean([...cars(1), ...cars(2)])).toBeGreaterThan(100);
    expect(mean([...cars(1), ...cars(2)])).toBeLessThan(112);
    expect(sd(cars(1))).toBeGreaterThan(7);
    expect(sd(cars(1))).toBeLessThan(12);
    const lorry = byLane(ds, 1).filter((d) => d.lengthM >= 15).map((d) => d.speedKmh);
    expect(mean(lorry)).toBeGreaterThan(80);
    expect(mean(lorry)).toBeLessThan(90);
  });

  it('bunches vehicles at high flow: short headways and platoons', () => {
    const l = byLane(ds, 1);
    const hw = l.slice(1).map((d, i) => (d.ts - l[i].ts) / 1000);
    expect(Math.min(...hw)).toBeGreaterThan(0.5);
    expect(hw.filter((h) => h < 2).length / hw.length).toBeGreaterThan(0.35);
  });

  it('slows everyone down and narrows the spread in a queue', () => {
    const q = run({ ...free, flow: 1000 / 3600, speedMs: 15 / 3.6 }, { minutes: 20 });
    const v = q.map((d) => d.speedKmh);
    expect(Math.min(...v)).toBeGreaterThan(0);
    expect(mean(v)).toBeGreaterThan(8);
    expect(mean(v)).toBeLessThan(22);
    expect(sd(v)).toBeLessThan(8);
  });

  it('sends nothing over a blocked lane', () => {
    const q = run({ ...free, flow: 1000 / 3600, lanesBlocked: 1 }, { minutes: 10 });
    expect(byLane(q, 1)).toHaveLength(0);
    expect(byLane(q, 2).length).toBeGreaterThan(100);
  });

  it('adds the true gap when asked, as the stats stage would derive it', () => {
    const g = byLane(run(free, { minutes: 5, withGaps: true }), 1);
    expect(g[0].gapS).toBeUndefined();
    expect(Object.keys(g[1])).toEqual(['detectorId', 'lane', 'ts', 'speedKmh', 'lengthM', 'occupancyMs', 'gapS', 'seq']);
    for (let i = 1; i < g.length; i++) {
      const derived = (g[i].ts - g[i - 1].ts) / 1000 - g[i - 1].lengthM / (g[i - 1].speedKmh / 3.6);
      expect(g[i].gapS).toBeCloseTo(derived, 3);
    }
  });
});

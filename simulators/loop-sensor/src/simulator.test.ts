import { detectionValidator, type Detection } from '@saferoads/shared';
import { describe, expect, it } from 'vitest';
import { LoopSimulator } from './simulator.js';
import { MORNING, all, simulate, smallNetwork } from './test-support/fixtures.js';
import { testNetwork, testRoad } from './test-support/network.js';

describe('LoopSimulator', () => {
  const batches = simulate();
  const ds = all(batches);

  it('gives identical output for the same seed and different output for another', () => {
    expect(JSON.stringify(simulate())).toBe(JSON.stringify(batches));
    const sim = new LoopSimulator({ network: smallNetwork(), seed: 1, startMs: MORNING, minutes: 10 });
    expect(JSON.stringify([...sim.batches()])).toBe(JSON.stringify([...sim.batches()]));
    expect(JSON.stringify(simulate({ seed: 2 }))).not.toBe(JSON.stringify(batches));
  });

  it('yields one batch per step, sorted by ts, each holding only its step', () => {
    expect(batches).toHaveLength(120);
    batches.forEach((b, i) => {
      expect(b.fromMs).toBe(MORNING + i * 5000);
      expect(b.untilMs).toBe(b.fromMs + 5000);
      for (let j = 0; j < b.detections.length; j++) {
        const d = b.detections[j];
        expect(d.ts).toBeGreaterThanOrEqual(b.fromMs);
        expect(d.ts).toBeLessThan(b.untilMs);
        if (j > 0) expect(d.ts).toBeGreaterThanOrEqual(b.detections[j - 1].ts);
      }
    });
  });

  it('emits valid detections with per-detector sequence numbers from 0', () => {
    expect(ds.length).toBeGreaterThan(1000);
    for (const d of ds.slice(0, 2000)) expect(detectionValidator.check(d).ok).toBe(true);
    const seqs = new Map<string, number[]>();
    for (const d of ds) seqs.set(d.detectorId, [...(seqs.get(d.detectorId) ?? []), d.seq!]);
    expect(seqs.size).toBe(27);
    for (const s of seqs.values()) expect(s).toEqual(s.map((_, i) => i));
    expect(Object.keys(ds[0])).toEqual(['detectorId', 'lane', 'ts', 'speedKmh', 'lengthM', 'occupancyMs', 'seq']);
  });

  it('has far less traffic at 03:00 than at 07:30, and mostly lorries at night', () => {
    const night = all(simulate({ startMs: Date.parse('2026-03-10T02:00:00Z') }));
    expect(night.length).toBeLessThan(ds.length / 4);
    const heavy = (xs: Detection[]) => xs.filter((d) => d.lengthM >= 7.5).length / xs.length;
    expect(heavy(night)).toBeGreaterThan(0.45);
    expect(heavy(ds)).toBeGreaterThan(0.12);
    expect(heavy(ds)).toBeLessThan(0.3);
  });

  it('grows a queue upstream of an incident: each upstream detector slows later', () => {
    const road = testRoad(Array.from({ length: 14 }, () => ({ lengthM: 300 })));
    const start = Date.parse('2026-03-10T06:00:00Z');
    const sim = new LoopSimulator({
      network: testNetwork(road),
      seed: 3,
      startMs: start,
      minutes: 30,
      demandFactor: 2,
      incidents: [{ segmentId: 'N-013', startMs: start + 2 * 60_000, durationMin: 40, lanesBlocked: 1 }],
    });
    // Mean speed per segment and minute.
    const sums = new Map<string, { v: number[]; n: number[] }>();
    for (const b of sim.batches()) {
      for (const d of b.detections) {
        const seg = d.detectorId.slice(0, 5);
        const s = sums.get(seg) ?? { v: new Array(30).fill(0), n: new Array(30).fill(0) };
        const m = Math.floor((d.ts - start) / 60_000);
        s.v[m] += d.speedKmh;
        s.n[m]++;
        sums.set(seg, s);
      }
    }
    const firstSlow = (seg: string) => {
      const s = sums.get(seg)!;
      return s.v.findIndex((v, m) => s.n[m] > 0 && v / s.n[m] < 50);
    };
    const upstream = ['N-012', 'N-011', 'N-010', 'N-009', 'N-008'];
    const times = upstream.map(firstSlow);
    for (const t of times) expect(t).toBeGreaterThanOrEqual(0);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]);
    // Far upstream traffic still flows freely.
    expect(firstSlow('N-001')).toBe(-1);
  });

  it('refuses bad options', () => {
    const network = smallNetwork();
    const base = { network, seed: 1, startMs: MORNING, minutes: 1 };
    expect(() => new LoopSimulator({ ...base, minutes: 0 })).toThrow(/minutes/);
    expect(() => new LoopSimulator({ ...base, seed: 1.5 })).toThrow(/seed/);
    expect(() => new LoopSimulator({ ...base, incidents: [{ segmentId: 'nope', startMs: MORNING, durationMin: 5 }] })).toThrow(
      /unknown segment nope/,
    );
    expect(() =>
      new LoopSimulator({ ...base, incidents: [{ segmentId: 'N-004', startMs: MORNING, durationMin: 5, lanesBlocked: 3 }] }),
    ).toThrow(/lanesBlocked/);
    expect(() => new LoopSimulator({ ...base, faults: { duplicates: 2 } })).toThrow(/duplicates/);
  });
});

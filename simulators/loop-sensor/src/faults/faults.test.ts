import type { Detection } from '@saferoads/shared';
import { describe, expect, it } from 'vitest';
import { all, key, simulate } from '../test-support/fixtures.js';

const clean = simulate({ minutes: 15 });
const cleanAll = all(clean);
const cleanByKey = new Map(cleanAll.map((d) => [key(d), d]));
const sortedJson = (ds: Detection[]) => ds.map((d) => JSON.stringify(d)).sort();

describe('detector faults', () => {
  it('with none enabled change nothing', () => {
    expect(JSON.stringify(simulate({ minutes: 15, faults: {} }))).toBe(JSON.stringify(clean));
  });

  it('duplicates: a share of records arrive twice with the same seq and values', () => {
    const ds = all(simulate({ minutes: 15, faults: { duplicates: 0.05 } }));
    const extra = ds.length - cleanAll.length;
    expect(extra / cleanAll.length).toBeGreaterThan(0.03);
    expect(extra / cleanAll.length).toBeLessThan(0.07);
    const seen = new Map<string, Detection>();
    let dups = 0;
    for (const d of ds) {
      const first = seen.get(key(d));
      if (first) {
        dups++;
        expect(d).toEqual(first);
      } else seen.set(key(d), d);
    }
    expect(dups).toBe(extra);
    expect(sortedJson([...seen.values()])).toEqual(sortedJson(cleanAll));
  });

  it('reorder: shuffles delivery but never by more than its bound', () => {
    const bs = simulate({ minutes: 15, faults: { reorderS: 3 } });
    const ds = all(bs);
    expect(sortedJson(ds)).toEqual(sortedJson(cleanAll));
    let maxTs = -Infinity;
    let inversions = 0;
    let worst = 0;
    for (const d of ds) {
      if (d.ts < maxTs) {
        inversions++;
        worst = Math.max(worst, maxTs - d.ts);
      }
      maxTs = Math.max(maxTs, d.ts);
    }
    expect(inversions).toBeGreaterThan(100);
    expect(worst).toBeLessThan(3000);
    expect(worst).toBeGreaterThan(2000);
    // A batch still holds only what was delivered in its step: nothing before its start.
    for (const b of bs) for (const d of b.detections) expect(d.ts).toBeLessThan(b.untilMs);
  });

  it('late: a share of records is delivered at least the delay after its ts', () => {
    const bs = simulate({ minutes: 15, faults: { late: 0.05, lateDelayS: 60 } });
    expect(sortedJson(all(bs))).toEqual(sortedJson(cleanAll));
    let late = 0;
    for (const b of bs) {
      for (const d of b.detections) {
        if (d.ts >= b.fromMs) continue; // on time
        late++;
        // Delivered at ts + 60 s, which falls in this batch's step.
        expect(d.ts + 60_000).toBeGreaterThanOrEqual(b.fromMs);
        expect(d.ts + 60_000).toBeLessThan(b.untilMs);
      }
    }
    expect(late / cleanAll.length).toBeGreaterThan(0.035);
    expect(late / cleanAll.length).toBeLessThan(0.065);
    // Trailing batches carry the last late records after the traffic ended.
    expect(bs).toHaveLength(180 + 12);
    expect(bs[bs.length - 1].detections.length).toBeGreaterThan(0);
  });

  it('clock skew: each controller adds its own constant offset to ts', () => {
    const ds = all(simulate({ minutes: 15, faults: { clockSkewS: 10 } }));
    const skew = new Map<string, number>();
    for (const d of ds) {
      const offset = d.ts - cleanByKey.get(key(d))!.ts;
      const controller = d.detectorId.slice(0, 5);
      if (!skew.has(controller)) skew.set(controller, offset);
      expect(offset).toBe(skew.get(controller));
      expect(Math.abs(offset)).toBeLessThanOrEqual(10_000);
    }
    expect(skew.size).toBe(12);
    expect(new Set(skew.values()).size).toBeGreaterThan(6);
  });

  it('stuck loops: from one moment on a detector repeats the same speed and length', () => {
    const ds = all(simulate({ minutes: 15, faults: { stuck: 2 } }));
    expect(ds).toHaveLength(cleanAll.length);
    const frozen = new Set<string>();
    for (const d of ds) {
      const c = cleanByKey.get(key(d))!;
      if (d.speedKmh !== c.speedKmh || d.lengthM !== c.lengthM) frozen.add(d.detectorId);
      expect(d.ts).toBe(c.ts);
    }
    expect(frozen.size).toBe(2);
    for (const id of frozen) {
      const mine = ds.filter((d) => d.detectorId === id);
      const diverge = mine.findIndex((d) => d.speedKmh !== cleanByKey.get(key(d))!.speedKmh);
      const stuckAt = diverge - 1; // the first stuck record still carries its own values
      const tail = mine.slice(stuckAt);
      expect(tail.length).toBeGreaterThan(20);
      for (const d of tail) {
        expect(d.speedKmh).toBe(tail[0].speedKmh);
        expect(d.lengthM).toBe(tail[0].lengthM);
        expect(d.occupancyMs).toBe(tail[0].occupancyMs);
      }
    }
  });

  it('dropouts: chosen detectors fall silent for minutes, leaving a hole in time and seq', () => {
    const ds = all(simulate({ minutes: 15, faults: { dropouts: 0.2 } }));
    const delivered = new Set(ds.map(key));
    const lost = cleanAll.filter((d) => !delivered.has(key(d)));
    const dead = new Set(lost.map((d) => d.detectorId));
    expect(dead.size).toBe(Math.round(0.2 * 27));
    for (const id of dead) {
      const missing = lost.filter((d) => d.detectorId === id);
      const span = missing[missing.length - 1].ts - missing[0].ts;
      expect(span).toBeGreaterThan(60_000);
      expect(span).toBeLessThan(8 * 60_000);
      // Nothing of the detector was delivered inside the hole.
      const inside = ds.filter((d) => d.detectorId === id && d.ts > missing[0].ts && d.ts < missing[missing.length - 1].ts);
      expect(inside).toHaveLength(0);
    }
    // Everything delivered is exactly the clean record.
    for (const d of ds) expect(d).toEqual(cleanByKey.get(key(d)));
  });

  it('are deterministic and leave the traffic itself alone', () => {
    const faults = { dropouts: 0.1, stuck: 1, duplicates: 0.02, reorderS: 2, late: 0.02, lateDelayS: 30, clockSkewS: 1 };
    const a = simulate({ minutes: 15, faults });
    expect(JSON.stringify(simulate({ minutes: 15, faults }))).toBe(JSON.stringify(a));
    expect(JSON.stringify(simulate({ minutes: 15, faults: { ...faults, duplicates: 0 } }))).not.toBe(JSON.stringify(a));
  });
});

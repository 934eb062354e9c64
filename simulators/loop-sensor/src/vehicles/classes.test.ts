import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { VehicleClass, drawClass, drawLength, isHeavy } from './classes.js';

function lengths(c: VehicleClass, n = 5000): number[] {
  const rng = new Rng(11, c);
  return Array.from({ length: n }, () => drawLength(rng, c)).sort((a, b) => a - b);
}
const median = (xs: number[]) => xs[Math.floor(xs.length / 2)];

describe('vehicle classes', () => {
  it('draws lengths in the real ranges of each class', () => {
    const car = lengths(VehicleClass.Car);
    expect(median(car)).toBeCloseTo(4.5, 1);
    expect(car[0]).toBeGreaterThanOrEqual(3.2);
    expect(car[car.length - 1]).toBeLessThanOrEqual(5.6);
    const van = lengths(VehicleClass.Van);
    expect(median(van)).toBeGreaterThan(5.5);
    expect(median(van)).toBeLessThan(6.5);
    expect(median(lengths(VehicleClass.Motorbike))).toBeCloseTo(2.2, 1);
    const rigid = lengths(VehicleClass.Rigid);
    expect(rigid[0]).toBeGreaterThanOrEqual(8);
    expect(rigid[rigid.length - 1]).toBeLessThanOrEqual(12);
    const art = lengths(VehicleClass.Articulated);
    expect(art[0]).toBeGreaterThanOrEqual(15.5);
    expect(art[art.length - 1]).toBeLessThanOrEqual(16.5);
    const train = lengths(VehicleClass.RoadTrain);
    expect(train[train.length - 1]).toBeLessThanOrEqual(18.75);
  });

  it('mixes heavy vehicles as on a transit corridor: mostly articulated', () => {
    const rng = new Rng(2);
    const counts = new Map<VehicleClass, number>();
    for (let i = 0; i < 20_000; i++) {
      const c = drawClass(rng, true);
      expect(isHeavy(c)).toBe(true);
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(counts.get(VehicleClass.Articulated)! / 20_000).toBeCloseTo(0.6, 1);
    expect(isHeavy(drawClass(rng, false))).toBe(false);
  });
});

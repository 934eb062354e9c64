import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HistogramSlab, SPEED_BINS, speedBin } from './histogram.js';

describe('HistogramSlab', () => {
  it('counts past a byte per bin, through merges, and forgets the excess when cleared', () => {
    const slab = new HistogramSlab(1);
    slab.ensure(3);
    for (let i = 0; i < 600; i++) slab.add(0, speedBin(100.2));
    for (let i = 0; i < 300; i++) slab.add(1, speedBin(99.7));
    slab.add(1, speedBin(140));
    expect(slab.get(0, 100)).toBe(600);
    slab.merge(2, 0, 100, 100);
    slab.merge(2, 1, 100, 140);
    expect(slab.get(2, 100)).toBe(900);
    expect(slab.get(2, 140)).toBe(1);
    expect(slab.quantile(2, 901, 0.5, 100, 140)).toBe(100);
    expect(slab.quantile(2, 901, 1, 100, 140)).toBe(140);
    slab.clear(2, 100, 140);
    slab.clear(0);
    expect(slab.get(2, 100)).toBe(0);
    slab.add(2, 100);
    slab.add(0, 100);
    expect([slab.get(2, 100), slab.get(0, 100), slab.get(1, 100)]).toEqual([1, 1, 300]);
  });

  it('keeps counts when it grows', () => {
    const slab = new HistogramSlab(1);
    slab.add(0, SPEED_BINS - 1, 300);
    slab.ensure(50);
    expect(slab.capacity).toBeGreaterThanOrEqual(50);
    expect(slab.get(0, SPEED_BINS - 1)).toBe(300);
  });

  it('merges to the sums of the bins, saturated or not, like plain counting', () => {
    // Counts around the 254-per-byte limit, on a few bins so they collide.
    const counts = fc.array(fc.tuple(fc.integer({ min: 95, max: 105 }), fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 120, max: 400 }))), { maxLength: 12 });
    fc.assert(
      fc.property(fc.array(counts, { minLength: 1, maxLength: 5 }), (panes) => {
        const slab = new HistogramSlab(1);
        slab.ensure(panes.length + 1);
        const into = panes.length;
        const expected = new Array<number>(SPEED_BINS).fill(0);
        panes.forEach((bins, h) => {
          for (const [bin, n] of bins) {
            slab.add(h, bin, n);
            expected[bin] += n;
          }
        });
        for (let h = 0; h < panes.length; h++) slab.merge(into, h, 95, 105);
        for (let bin = 90; bin <= 110; bin++) expect(slab.get(into, bin)).toBe(expected[bin]);
      }),
      { numRuns: 500 },
    );
  });
});

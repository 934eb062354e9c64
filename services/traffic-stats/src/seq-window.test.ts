import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEQ_WINDOW, SeqWindows } from './seq-window.js';

/** The plain model: the highest sequence and the set of sequences seen within the window below it. */
class ModelWindow {
  private max = -1;
  private readonly seen = new Set<number>();

  isDuplicate(seq: number): boolean {
    if (this.max < 0 || seq <= this.max - SEQ_WINDOW) {
      // Far below the window (or the first): a controller restart.
      this.seen.clear();
      this.max = seq;
    } else if (seq <= this.max) {
      if (this.seen.has(seq)) return true;
    } else {
      this.max = seq;
      for (const s of this.seen) if (s <= seq - SEQ_WINDOW) this.seen.delete(s);
    }
    this.seen.add(seq);
    return false;
  }
}

// Mostly forward with small gaps, back-fills just behind, resends, and jumps and restarts.
const step = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 3 }) },
  { weight: 2, arbitrary: fc.integer({ min: -3, max: -1 }) },
  { weight: 2, arbitrary: fc.integer({ min: -300, max: 0 }) },
  { weight: 1, arbitrary: fc.integer({ min: 4, max: 600 }) },
);

describe('SeqWindows', () => {
  it('flags exactly the duplicates a set of the window would, per detector, up to 2^53', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(2), step), { minLength: 20, maxLength: 500, size: 'max' }),
        fc.constantFrom(0, 1e6, Number.MAX_SAFE_INTEGER - 5_000),
        (steps, base) => {
          const windows = new SeqWindows(3);
          const models = [new ModelWindow(), new ModelWindow(), new ModelWindow()];
          const cursor = [base, base, base];
          for (const [d, delta] of steps) {
            cursor[d] = Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, cursor[d] + delta));
            expect(windows.seen(d, cursor[d])).toBe(models[d].isDuplicate(cursor[d]));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

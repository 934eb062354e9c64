import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GapQueues, rearDelayS, type LaneVehicle, type SettledGap } from './gaps.js';

/** The plain model: per lane, an array kept in event-time order (ties by arrival) and the last settled vehicle. */
class ModelLane {
  private prev: LaneVehicle | null = null;
  private readonly pending: LaneVehicle[] = [];

  push(v: LaneVehicle): void {
    let i = this.pending.length;
    while (i > 0 && this.pending[i - 1].ts > v.ts) i--;
    this.pending.splice(i, 0, v);
  }

  settle(watermarkMs: number, out: [number, number][]): void {
    while (this.pending.length > 0 && this.pending[0].ts <= watermarkMs) {
      const v = this.pending.shift() as LaneVehicle;
      if (v.gapS !== undefined) out.push([v.ts, v.gapS]);
      else if (this.prev !== null) {
        const g = (v.ts - this.prev.ts) / 1000 - rearDelayS(this.prev.lengthM, this.prev.speedKmh);
        out.push([v.ts, g > 0 ? g : 0]);
      }
      this.prev = v;
    }
  }
}

// Pushes outnumber settles and settles lag, so queues reach dozens of entries: past their home,
// into larger regions, and back.
const op = fc.oneof(
  { weight: 6, arbitrary: fc.record({
    kind: fc.constant('push' as const),
    lane: fc.nat(2),
    dt: fc.integer({ min: -4_000, max: 500 }),
    speedKmh: fc.integer({ min: 5, max: 200 }),
    lengthM: fc.integer({ min: 3, max: 20 }),
    gapS: fc.option(fc.integer({ min: 0, max: 500 }).map((x) => x / 100), { nil: undefined, freq: 5 }),
  }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('settle' as const), lane: fc.nat(2), lag: fc.integer({ min: 0, max: 30_000 }) }) },
);

describe('GapQueues', () => {
  it('derives the same gaps, in the same order, as a sorted array per lane, through growth and back', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 50, maxLength: 600, size: 'max' }), (ops) => {
        const queues = new GapQueues(3);
        const model = [new ModelLane(), new ModelLane(), new ModelLane()];
        const got: [number, number][] = [];
        const want: [number, number][] = [];
        const sink = { gap: (d: number, s: Readonly<SettledGap>) => got.push([s.ts + d * 1e13, s.gapS]) };
        let now = 1_000_000;
        for (const o of ops) {
          if (o.kind === 'push') {
            now += Math.max(0, o.dt);
            const v: LaneVehicle = { ts: now + Math.min(0, o.dt), speedKmh: o.speedKmh, lengthM: o.lengthM, gapS: o.gapS };
            queues.push(o.lane, v);
            model[o.lane].push(v);
          } else {
            const before = want.length;
            model[o.lane].settle(now - o.lag, want);
            for (let i = before; i < want.length; i++) want[i] = [want[i][0] + o.lane * 1e13, want[i][1]];
            queues.settle(o.lane, now - o.lag, sink);
          }
        }
        for (let lane = 0; lane < 3; lane++) {
          const before = want.length;
          model[lane].settle(Number.POSITIVE_INFINITY, want);
          for (let i = before; i < want.length; i++) want[i] = [want[i][0] + lane * 1e13, want[i][1]];
          queues.settle(lane, Number.POSITIVE_INFINITY, sink);
          expect(queues.pendingCount(lane)).toBe(0);
        }
        expect(got).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadNetwork } from '@saferoads/shared/network';
import { planRuns } from './plan.js';

const network = loadNetwork();

describe('planRuns', () => {
  it('draws every run from the seed alone: the same seed gives the same plan', () => {
    expect(planRuns({ network, seed: 1, runs: 5 })).toEqual(planRuns({ network, seed: 1, runs: 5 }));
    expect(planRuns({ network, seed: 1, runs: 3 })).toEqual(planRuns({ network, seed: 1, runs: 5 }).slice(0, 3));
    expect(planRuns({ network, seed: 2, runs: 1 })[0].startMs).not.toBe(planRuns({ network, seed: 1, runs: 1 })[0].startMs);
  });

  it('gives run 0 of seed 1 its known date, demand and temperature', () => {
    const [p] = planRuns({ network, seed: 1, runs: 1 });
    expect({ id: p.id, seed: p.seed, start: new Date(p.startMs).toISOString(), demand: p.demandFactor, temperature: p.temperatureOffsetC, minutes: p.minutes }).toEqual({
      id: '1-0',
      seed: 1000,
      start: '2026-02-10T23:00:00.000Z',
      demand: 1.54,
      temperature: -1,
      minutes: 1440,
    });
  });

  it('keeps a run\'s date, demand and temperature whatever its length', () => {
    const pick = (minutes: number) => planRuns({ network, seed: 9, runs: 4, minutes }).map((p) => [p.startMs, p.demandFactor, p.temperatureOffsetC]);
    expect(pick(60)).toEqual(pick(1440));
  });

  it('keeps every choice in its range, and incidents inside the run on lanes the segment has (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 30, max: 2880 }), (seed, minutes) => {
        for (const p of planRuns({ network, seed, runs: 3, minutes })) {
          expect(p.demandFactor).toBeGreaterThanOrEqual(0.9);
          expect(p.demandFactor).toBeLessThanOrEqual(1.55);
          expect(Math.abs(p.temperatureOffsetC + 1)).toBeLessThanOrEqual(4);
          expect(new Date(p.startMs).getUTCFullYear()).toBe(2026);
          for (const inc of p.incidents) {
            const lanes = network.byId.get(inc.segmentId)!.props.lanes;
            expect(inc.startMs).toBeGreaterThanOrEqual(p.startMs);
            expect(inc.startMs).toBeLessThan(p.startMs + minutes * 60_000);
            expect(inc.durationMin).toBeGreaterThanOrEqual(15);
            expect(inc.durationMin).toBeLessThanOrEqual(90);
            expect(inc.lanesBlocked).toBeLessThanOrEqual(lanes - 1);
          }
          if (p.stationOutage) expect(p.stationOutage.toMs - p.stationOutage.fromMs).toBeGreaterThanOrEqual(2 * 3_600_000);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('has about 3 incidents a day (200 day-runs)', () => {
    const plans = planRuns({ network, seed: 4, runs: 200 });
    const mean = plans.reduce((s, p) => s + p.incidents.length, 0) / plans.length;
    expect(Math.abs(mean - 3)).toBeLessThan(0.4);
  });

  it.each<[Partial<Parameters<typeof planRuns>[0]>, string]>([
    [{ seed: 1.5 }, 'seed must be an integer, got 1.5'],
    [{ runs: 0 }, 'runs must be a whole number >= 1, got 0'],
    [{ minutes: 29 }, 'minutes must be a whole number >= 30, got 29'],
  ])('refuses %j', (change, message) => {
    expect(() => planRuns({ network, seed: 1, runs: 1, ...change })).toThrow(message);
  });
});

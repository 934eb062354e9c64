import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aucBootstrap, percentile, resampleCounts, resamplePlan, resampleUniform } from './bootstrap.js';
import { rocAuc } from './metrics.js';
import { pairwiseAuc } from '../testing/pairwise-auc.js';


/** The resample as rows: each row repeated as often as its unit was drawn. */
function materialise(y: readonly number[], s: readonly number[], unitOfRow: Uint32Array, counts: Uint32Array) {
  const yy: number[] = [];
  const ss: number[] = [];
  for (let i = 0; i < y.length; i++) {
    for (let c = 0; c < counts[unitOfRow[i]]; c++) {
      yy.push(y[i]);
      ss.push(s[i]);
    }
  }
  return { y: yy, s: ss };
}

// The hand-counted ranking of metrics.test.ts (AUC 6/8) beside a perfect one.
const y = [0, 0, 0, 0, 1, 1];
const model = [0.1, 0.3, 0.4, 0.7, 0.35, 0.8];
const perfect = [0.1, 0.2, 0.3, 0.4, 0.8, 0.9];

describe('resampleUniform', () => {
  // The same doubles as models/training/tests/test_bootstrap.py asserts for numpy.
  it.each<[number, number, number, number]>([
    [1, 0, 0, 0.9084446762293659],
    [1, 0, 1, 0.025870151723560664],
    [1, 0, 2, 0.7612250630903694],
    [2 ** 40 + 5, 7, 123456, 0.5484172524093691],
  ])('seed %d, resample %d, draw %d: %f', (seed, b, k, u) => {
    expect(resampleUniform(seed, b, k)).toBe(u);
  });

  it('is uniform enough: 100,000 draws in ten bins of 10,000 ± 400 (4 standard deviations)', () => {
    const bins = new Array<number>(10).fill(0);
    for (let k = 0; k < 100_000; k++) bins[Math.floor(resampleUniform(3, 1, k) * 10)]++;
    for (const n of bins) expect(Math.abs(n - 10_000)).toBeLessThan(400);
  });
});

describe('resamplePlan and resampleCounts', () => {
  it('stratifies rows by label: the two positives, then the four negatives', () => {
    const p = resamplePlan(y);
    expect(p).toEqual({ by: 'row', rows: 6, units: 6, unitOfRow: Uint32Array.of(0, 1, 2, 3, 4, 5), strata: [Uint32Array.of(4, 5), Uint32Array.of(0, 1, 2, 3)] });
    // Draws 0-1 pick the positives (0.908 → row 5, 0.026 → row 4), draws 2-5 the negatives.
    expect(Array.from(resampleCounts(p, 1, 0))).toEqual([1, 1, 0, 2, 1, 1]);
    expect(Array.from(resampleCounts(p, 1, 1))).toEqual([1, 2, 1, 0, 1, 1]);
  });

  it('numbers clusters in order of first appearance; a cluster with a positive goes with the positives', () => {
    const p = resamplePlan([0, 0, 1, 0, 0, 0], ['b', 'b', 'a', 'a', 'c', 'b']);
    expect(p).toEqual({ by: 'cluster', rows: 6, units: 3, unitOfRow: Uint32Array.of(0, 0, 1, 1, 2, 0), strata: [Uint32Array.of(1), Uint32Array.of(0, 2)] });
    expect(() => resamplePlan([0, 1], ['a'])).toThrow('labels and clusters differ in length: 2 and 1');
  });

  it('draws as many units of each stratum as it has, and the same counts for the same seed (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 6 })), { maxLength: 40 }), fc.nat(), fc.nat({ max: 50 }), (rows, seed, b) => {
        const p = resamplePlan(rows.map((r) => r[0]), rows.map((r) => r[1]));
        const c = resampleCounts(p, seed, b);
        const drawn = (s: Uint32Array) => Array.from(s).reduce((n, u) => n + c[u], 0);
        return drawn(p.strata[0]) === p.strata[0].length && drawn(p.strata[1]) === p.strata[1].length && resampleCounts(p, seed, b).every((v, u) => v === c[u]);
      }),
    );
  });
});

describe('percentile', () => {
  it.each<[number[], number, number]>([
    [[1, 2, 3, 4, 5], 0.5, 3],
    [[1, 2, 3, 4, 5], 0.25, 2],
    // h = 3 × 0.1 = 0.3: 10 + 0.3 × (20 − 10).
    [[10, 20, 30, 40], 0.1, 13],
    [[10, 20, 30, 40], 1, 40],
    [[7], 0.975, 7],
  ])('of %j at %f is %f (numpy\'s linear method)', (xs, q, v) => {
    expect(percentile(xs, q)).toBeCloseTo(v, 12);
  });

  it('is NaN for no values', () => expect(percentile([], 0.5)).toBeNaN());
});

describe('aucBootstrap', () => {
  it('20 resamples of six rows: each replicate counted by hand, the interval a fixed pair', () => {
    const r = aucBootstrap(y, { model, reference: perfect }, { resamples: 20, seed: 1, replicates: true })!;
    // Resample 0 (counts 1, 1, 0, 2, 1, 1): 0.35 beats 0.1 and 0.3 of the 4 negatives drawn, 0.8 all 4: 6/8.
    // Resample 1 (counts 1, 2, 1, 0, 1, 1): 0.35 beats 0.1 and 0.3 twice, 0.8 all 4: 7/8.
    expect(Array.from(r.replicates!.model)).toEqual([0.75, 0.875, 1, 1, 1, 0.75, 0.625, 0.25, 0.875, 1, 0.75, 0.875, 0.75, 0.625, 0.625, 0.75, 0.875, 1, 0.625, 0.75]);
    expect(Array.from(r.replicates!.reference!)).toEqual(new Array(20).fill(1));
    // Sorted, the lowest two are 0.25 and 0.625; h = 19 × 0.025 = 0.475: 0.25 + 0.475 × 0.375.
    expect(r).toMatchObject({
      by: 'row',
      units: 6,
      strata: [2, 4],
      seed: 1,
      resamples: 20,
      used: 20,
      level: 0.95,
      model: { estimate: 0.75, low: 0.42812500000000014, high: 1 },
      reference: { estimate: 1, low: 1, high: 1 },
      ratio: { estimate: 0.75, low: 0.42812500000000014, high: 1 },
    });
  });

  it('gives 1 for the ratio of a predictor to itself, and [1, 1] for a perfect ranking', () => {
    expect(aucBootstrap(y, { model, reference: model }, { resamples: 50 })!.ratio).toEqual({ estimate: 1, low: 1, high: 1 });
    expect(aucBootstrap(y, { model: perfect }, { resamples: 50 })!.model).toEqual({ estimate: 1, low: 1, high: 1 });
  });

  it('without a reference: the model only', () => {
    const r = aucBootstrap(y, { model }, { resamples: 20 })!;
    expect(r.model).toEqual({ estimate: 0.75, low: 0.42812500000000014, high: 1 });
    expect(r.reference).toBeUndefined();
    expect(r.ratio).toBeUndefined();
  });

  it('skips cluster resamples that hold one class only, and counts them', () => {
    // Cluster a is all positive, b all negative: 1 unit with a positive, 1 without, so every resample draws both.
    expect(aucBootstrap([1, 1, 0], { model: [0.9, 0.8, 0.1] }, { resamples: 10, clusters: ['a', 'a', 'b'] })).toMatchObject({ by: 'cluster', units: 2, strata: [1, 1], used: 10 });
    // One cluster holding both: every resample is that cluster again.
    expect(aucBootstrap([1, 0], { model: [0.9, 0.1] }, { resamples: 10, clusters: ['a', 'a'] })).toMatchObject({ strata: [1, 0], used: 10, model: { estimate: 1, low: 1, high: 1 } });
    // Both clusters hold a positive, only b a negative: a resample drawing a twice (about 1 in 4) has no negative and is skipped.
    const r = aucBootstrap([1, 1, 0], { model: [0.9, 0.5, 0.1] }, { resamples: 40, clusters: ['a', 'b', 'b'], replicates: true })!;
    expect(r.strata).toEqual([2, 0]);
    expect(r.used).toBe(28);
    expect(r.replicates!.model.filter(Number.isNaN)).toHaveLength(12);
  });

  it('is null when a class is absent, and refuses bad options', () => {
    expect(aucBootstrap([0, 0], { model: [0.1, 0.2] })).toBeNull();
    expect(() => aucBootstrap(y, { model }, { resamples: 0 })).toThrow('resamples must be a whole number >= 1, got 0');
    expect(() => aucBootstrap(y, { model }, { seed: -1 })).toThrow('seed must be a whole number >= 0, got -1');
  });

  // Scores from few values, so that ties are common; clusters from few keys, so that they hold several rows.
  const rowsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 12 }).map((k) => k / 16), fc.integer({ min: 0, max: 12 }).map((k) => k / 16), fc.integer({ min: 0, max: 5 })), { minLength: 2, maxLength: 40 });

  it('each replicate equals the brute-force pairwise AUC of the materialised resample, rows and clusters (fast-check)', () => {
    fc.assert(
      fc.property(rowsArb, fc.boolean(), fc.nat(), (rows, byCluster, seed) => {
        const yy = rows.map((r) => r[0]);
        const a = rows.map((r) => r[1]);
        const b = rows.map((r) => r[2]);
        const clusters = byCluster ? rows.map((r) => r[3]) : undefined;
        const res = aucBootstrap(yy, { model: a, reference: b }, { resamples: 8, seed, clusters, replicates: true });
        if (res === null) return pairwiseAuc(yy, a) === null;
        const plan = resamplePlan(yy, clusters);
        for (let k = 0; k < 8; k++) {
          const counts = resampleCounts(plan, seed, k);
          const ma = materialise(yy, a, plan.unitOfRow, counts);
          const mb = materialise(yy, b, plan.unitOfRow, counts);
          const wantA = pairwiseAuc(ma.y, ma.s);
          const wantB = pairwiseAuc(mb.y, mb.s);
          if (wantA === null ? !Number.isNaN(res.replicates!.model[k]) || !Number.isNaN(res.replicates!.reference![k]) : res.replicates!.model[k] !== wantA || res.replicates!.reference![k] !== wantB) return false;
        }
        return true;
      }),
    );
  });

  it('the interval holds the estimate for data with at least two rows of each class (fast-check; a reference AUC of 0 has no ratio)', () => {
    fc.assert(
      fc.property(
        rowsArb.filter((rows) => rows.filter((r) => r[0] === 1).length >= 2 && rows.filter((r) => r[0] === 0).length >= 2),
        fc.nat(),
        (rows, seed) => {
          const yy = rows.map((r) => r[0]);
          const a = rows.map((r) => r[1]);
          const res = aucBootstrap(yy, { model: a, reference: rows.map((r) => r[2]) }, { resamples: 200, seed })!;
          const holds = (i: { estimate: number; low: number; high: number } | undefined) => i !== undefined && i.low <= i.estimate && i.estimate <= i.high;
          return res.model.estimate === rocAuc(yy, a) && res.model.estimate === pairwiseAuc(yy, a) && holds(res.model) && holds(res.reference) && (res.reference!.estimate === 0 || holds(res.ratio));
        },
      ),
    );
  });
});

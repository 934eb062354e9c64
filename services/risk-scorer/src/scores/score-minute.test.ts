import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadFeatureSpec } from '@saferoads/model-spec';
import type { FeatureBatch } from '../features/batch.js';
import { FunctionScorer, linearScorer, logisticScorer } from '../model/function-scorer.js';
import { featureGroups, type FeatureGroup } from './groups.js';
import { occlusionBatch } from './occlusion.js';
import { RiskScoring } from './score-minute.js';

const spec = loadFeatureSpec();
const W = spec.features.length;
const col = (name: string) => {
  const k = spec.features.findIndex((f) => f.name === name);
  if (k < 0) throw new Error(name);
  return k;
};
/** The spec's defaults as the reference conditions. */
const reference = Float32Array.from(spec.features, (f) => f.default);
const END = Date.UTC(2026, 2, 10, 7, 1);

/** A batch of rows given as changes to the reference row. */
function batchOf(rows: readonly Record<string, number>[]): FeatureBatch {
  const data = new Float32Array(rows.length * W);
  rows.forEach((changes, r) => {
    data.set(reference, r * W);
    for (const [name, v] of Object.entries(changes)) data[r * W + col(name)] = v;
  });
  const segments = rows.map((_, r) => ({
    segmentId: `S${r}`,
    index: r,
    inputs: { own: {}, upstream: [], downstream: [] },
    missing: { own: [], upstream: [], downstream: [] },
    complete: true,
  }));
  return { windowEndMs: END, rows: rows.length, width: W, data, segments, defaults: new Uint16Array(rows.length) };
}
const weights = (w: Record<string, number>) => spec.features.map((f) => w[f.name] ?? 0);

describe('occlusionBatch', () => {
  it('lays out the rows as they are, one block per group at reference, then the baseline with static groups kept', () => {
    const groups: FeatureGroup[] = [
      { name: 'g0', label: 'g0', static: false, columns: [0] },
      { name: 'g1', label: 'g1', static: true, columns: [1, 2] },
    ];
    const base = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const layout = occlusionBatch(base, 2, 3, groups, Float32Array.from([-1, -2, -3]));
    expect(layout).toMatchObject({ n: 2, blocks: 4, rows: 8 });
    expect([...layout.data]).toEqual([1, 2, 3, 4, 5, 6, -1, 2, 3, -1, 5, 6, 1, -2, -3, 4, -2, -3, -1, 2, 3, -1, 5, 6]);
  });
});

describe('RiskScoring on a model whose answer is known', () => {
  it('a linear model: risk, baseline, relative risk, level and each factor\'s share exactly', async () => {
    // Dyadic values: every sum is exact in float32. Contributions against the reference:
    // speed variation +1/4, precipitation +1/8, darkness +1/8, the hour -1/32 (lowers the risk).
    const model = linearScorer('lin-1', weights({ speedStdKmh_1m: 1 / 64, precipitationMmH: 1 / 32, dark: 1 / 8, hourSin: -1 / 16 }), 1 / 8, reference);
    const batch = batchOf([{ speedStdKmh_1m: 16, precipitationMmH: 4, dark: 1, hourSin: 0.5 }, {}]);
    const [s, calm] = await new RiskScoring({ spec }).score(batch, model);
    expect(s).toMatchObject({
      segmentId: 'S0',
      windowEndMs: END,
      risk: 0.59375,
      baselineRisk: 0.125,
      relativeRisk: 4.75,
      level: 'high',
      modelVersion: 'lin-1',
      // Drops 1/4, 1/8, 1/8 of a total 1/2; precipitation before light on the tie (group order).
      factors: [
        { name: 'speedVariation', share: 0.5 },
        { name: 'precipitation', share: 0.25 },
        { name: 'light', share: 0.25 },
      ],
    });
    expect(s.features[col('speedStdKmh_1m')]).toBe(16);
    expect(calm).toMatchObject({ risk: 0.125, relativeRisk: 1, level: 'low', factors: [] });
  });

  it('the road layout stays in the baseline: a curve raises the risk and the baseline alike', async () => {
    const model = linearScorer('lin-2', weights({ curvatureDegPerKm: 1 / 256, precipitationMmH: 1 / 16 }), 1 / 8, reference);
    const [s] = await new RiskScoring({ spec }).score(batchOf([{ curvatureDegPerKm: 32, precipitationMmH: 2 }]), model);
    // risk 1/8 + 1/8 + 1/8; baseline 1/8 + 1/8 (curve kept): relative 1.5.
    expect(s).toMatchObject({ risk: 0.375, baselineRisk: 0.25, relativeRisk: 1.5, level: 'low' });
    expect(s.factors).toEqual([
      { name: 'precipitation', share: 0.5 },
      { name: 'curve', share: 0.5 },
    ]);
  });

  it('levels on the probability when configured so; topFactors limits the list', async () => {
    const model = linearScorer('lin-3', weights({ speedStdKmh_1m: 1 / 64, precipitationMmH: 1 / 32 }), 1 / 8, reference);
    const scoring = new RiskScoring({ spec, config: { levelBasis: 'risk', levels: { elevated: 0.2, high: 0.4, severe: 0.8 }, topFactors: 1 } });
    const [s] = await scoring.score(batchOf([{ speedStdKmh_1m: 16, precipitationMmH: 4 }]), model);
    expect(s).toMatchObject({ risk: 0.5, level: 'high', factors: [{ name: 'speedVariation', share: 2 / 3 }] });
  });

  it('a baseline of 0 divides by minBaselineRisk', async () => {
    const model = linearScorer('lin-4', weights({ dark: 1 / 4 }), 0, reference);
    const [s] = await new RiskScoring({ spec, config: { minBaselineRisk: 1 / 1024 } }).score(batchOf([{ dark: 1 }]), model);
    expect(s).toMatchObject({ risk: 0.25, baselineRisk: 0, relativeRisk: 256, level: 'severe' });
  });

  it('a logistic model: shares follow the occlusion drops of the sigmoid (fast-check against the closed form)', async () => {
    const groups = featureGroups(spec);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: W, maxLength: W }),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: W, maxLength: W }),
        fc.double({ min: -3, max: 0, noNaN: true }),
        async (w, x, bias) => {
          const model = logisticScorer('logit', w, bias, reference);
          const row = Float32Array.from(x);
          const batch = { ...batchOf([{}]), data: row };
          const [s] = await new RiskScoring({ spec, config: { topFactors: groups.length } }).score(batch, model);
          const sigma = (z: number) => 1 / (1 + Math.exp(-z));
          const z = bias + w.reduce((acc, wk, k) => acc + wk * row[k], 0);
          const drops = groups.map((g) => sigma(z) - sigma(z - g.columns.reduce((acc, k) => acc + w[k] * (row[k] - reference[k]), 0)));
          const positive = drops.filter((d) => d > 1e-6);
          const total = positive.reduce((a, b) => a + b, 0);
          expect(s.risk).toBeCloseTo(sigma(z), 6);
          // Groups whose drop is within float32 rounding of 0 may or may not count: compare the clear ones.
          for (const f of s.factors) {
            const d = drops[groups.findIndex((g) => g.name === f.name)];
            if (d > 1e-4 && total > 1e-3) expect(f.share).toBeCloseTo(d / total, 2);
          }
          expect(s.factors.map((f) => f.name).sort()).toEqual(expect.arrayContaining(groups.filter((_, i) => drops[i] > 1e-4).map((g) => g.name).sort()));
          const sum = s.factors.reduce((a, f) => a + f.share, 0);
          if (s.factors.length > 0) expect(sum).toBeCloseTo(1, 6);
          for (let i = 1; i < s.factors.length; i++) expect(s.factors[i].share).toBeLessThanOrEqual(s.factors[i - 1].share);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('RiskScoring refuses what is not a score', () => {
  it.each<[string, (rows: number) => Float32Array, string]>([
    ['a value that is not a probability', (rows) => new Float32Array(rows).fill(1.5), 'model bad returned 1.5 for row 0: not a probability'],
    ['NaN', (rows) => new Float32Array(rows).fill(Number.NaN), 'model bad returned NaN for row 0: not a probability'],
    ['too few values', (rows) => new Float32Array(rows - 1), 'model bad returned 18 values for 19 rows'],
  ])('%s', async (_what, answer, message) => {
    const model = { version: 'bad', width: W, reference, score: (_b: Float32Array, rows: number) => Promise.resolve(answer(rows)) };
    await expect(new RiskScoring({ spec }).score(batchOf([{}]), model)).rejects.toThrow(message);
  });

  it('a model of another width', async () => {
    const model = new FunctionScorer('narrow', 3, new Float32Array(3), () => 0);
    await expect(new RiskScoring({ spec }).score(batchOf([{}]), model)).rejects.toThrow('width mismatch: spec 89, batch 89, model 3, reference 3');
  });
});

describe('RiskScoring: factors only from a level up', () => {
  const model = () => linearScorer('lin-5', weights({ speedStdKmh_1m: 1 / 64, precipitationMmH: 1 / 32, dark: 1 / 8 }), 1 / 8, reference);
  const rows: Record<string, number>[] = [{ speedStdKmh_1m: 16, precipitationMmH: 4, dark: 1 }, { precipitationMmH: 4 }, {}];

  it('explains the scores at or above factorsMinLevel in a second inference, with the same scores and factors as explaining all', async () => {
    const calls: number[] = [];
    const m = model();
    const counting = { version: m.version, width: m.width, reference: m.reference, score: (b: Float32Array, n: number) => (calls.push(n), m.score(b, n)) };
    const all = await new RiskScoring({ spec }).score(batchOf(rows), model());
    const some = await new RiskScoring({ spec, config: { factorsMinLevel: 'high' } }).score(batchOf(rows), counting);
    // Risks 5/8, 1/4, 1/8 over a baseline of 1/8: relative 5 (high), 2 (elevated), 1 (low); only the first is explained.
    expect(some.map((s) => [s.relativeRisk, s.level, s.factors.length])).toEqual([
      [5, 'high', 3],
      [2, 'elevated', 0],
      [1, 'low', 0],
    ]);
    expect(some[0].factors).toEqual(all[0].factors);
    expect(some.map((s) => s.risk)).toEqual(all.map((s) => s.risk));
    // First: 3 rows and their baselines; second: the one row and its 17 occluded copies.
    expect(calls).toEqual([6, 18]);
  });

  it('with no score at that level there is no second inference; topFactors 0 never occludes', async () => {
    const calls: number[] = [];
    const m = model();
    const counting = { version: m.version, width: m.width, reference: m.reference, score: (b: Float32Array, n: number) => (calls.push(n), m.score(b, n)) };
    await new RiskScoring({ spec, config: { factorsMinLevel: 'severe' } }).score(batchOf(rows), counting);
    await new RiskScoring({ spec, config: { topFactors: 0 } }).score(batchOf(rows), counting);
    expect(calls).toEqual([6, 6]);
  });
});

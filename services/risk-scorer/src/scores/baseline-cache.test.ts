import { describe, expect, it } from 'vitest';
import { loadFeatureSpec } from '@saferoads/model-spec';
import type { FeatureBatch } from '../features/batch.js';
import { linearScorer } from '../model/function-scorer.js';
import type { ScoringModel } from '../model/scorer.js';
import { RiskScoring } from './score-minute.js';

const spec = loadFeatureSpec();
const W = spec.features.length;
const col = (name: string) => spec.features.findIndex((f) => f.name === name);
const reference = Float32Array.from(spec.features, (f) => f.default);

function batchOf(rows: readonly Record<string, number>[], minute: number): FeatureBatch {
  const data = new Float32Array(rows.length * W);
  rows.forEach((changes, r) => {
    data.set(reference, r * W);
    for (const [name, v] of Object.entries(changes)) data[r * W + col(name)] = v;
  });
  const segments = rows.map((_, r) => ({ segmentId: `S${r}`, index: r, inputs: { own: {}, upstream: [], downstream: [] }, missing: { own: [], upstream: [], downstream: [] }, complete: true }));
  return { windowEndMs: Date.UTC(2026, 2, 10, 7, minute), rows: rows.length, width: W, data, segments, defaults: new Uint16Array(rows.length) };
}
const weights = (w: Record<string, number>) => spec.features.map((f) => w[f.name] ?? 0);
/** Risk rises with speed spread and rain; the curve (road layout) raises the baseline too. */
const model = (version = 'lin-c') => linearScorer(version, weights({ speedStdKmh_1m: 1 / 64, precipitationMmH: 1 / 32, minRadiusM: -1 / 65536 }), 1 / 4, reference);
const counting = (m: ScoringModel, calls: number[]): ScoringModel => ({ version: m.version, width: m.width, reference: m.reference, score: (b, n) => (calls.push(n), m.score(b, n)) });

describe('RiskScoring: baselines scored once per model and road layout', () => {
  const minutes: Record<string, number>[][] = [
    [{ speedStdKmh_1m: 16, minRadiusM: 4096 }, { precipitationMmH: 4 }, {}],
    [{ speedStdKmh_1m: 8, minRadiusM: 4096 }, { precipitationMmH: 0 }, { speedStdKmh_1m: 32 }],
    // S0's road layout differs (another radius): its baseline is scored again.
    [{ speedStdKmh_1m: 8, minRadiusM: 2048 }, { precipitationMmH: 1 }, {}],
  ];

  it('gives the scores a fresh scorer gives each minute, with n rows in the first inference once the baselines are known', async () => {
    const calls: number[] = [];
    const m = counting(model(), calls);
    const cached = new RiskScoring({ spec, config: { topFactors: 0 } });
    for (const [i, rows] of minutes.entries()) {
      const got = await cached.score(batchOf(rows, i + 1), m);
      const fresh = await new RiskScoring({ spec, config: { topFactors: 0 } }).score(batchOf(rows, i + 1), model());
      expect(got.map(({ features: _f, ...s }) => s)).toEqual(fresh.map(({ features: _f, ...s }) => s));
    }
    expect(calls).toEqual([6, 3, 4]);
  });

  it('scores the baselines again for another model (a swap), and explaining every row keeps its one inference', async () => {
    const calls: number[] = [];
    const scoring = new RiskScoring({ spec, config: { factorsMinLevel: 'high' } });
    const a = counting(model('a'), calls);
    const b = counting(model('b'), calls);
    await scoring.score(batchOf(minutes[0], 1), a);
    await scoring.score(batchOf(minutes[0], 2), b);
    await scoring.score(batchOf(minutes[0], 3), a);
    // Nothing reaches high: one inference each; b's baselines are its own.
    expect(calls).toEqual([6, 6, 3]);
    const all: number[] = [];
    const explainAll = new RiskScoring({ spec });
    await explainAll.score(batchOf(minutes[0], 1), counting(model(), all));
    await explainAll.score(batchOf(minutes[0], 2), counting(model(), all));
    expect(all).toEqual([3 * 19, 3 * 19]);
  });
});

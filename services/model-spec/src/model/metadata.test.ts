import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@saferoads/shared/errors';
import { loadFeatureSpec } from '../spec/parse.js';
import type { FeatureSpec } from '../spec/types.js';
import { checkTestVectors, loadModelMetadata, modelCompatibilityProblems, parseModelMetadata, type ModelMetadata } from './metadata.js';

const committed = loadModelMetadata();
const spec = loadFeatureSpec();
const copy = (): ModelMetadata => JSON.parse(JSON.stringify(committed.metadata)) as ModelMetadata;

function problems(json: unknown): readonly string[] {
  try {
    parseModelMetadata(json, 'test');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('model metadata', () => {
  it('locates the ONNX file beside the metadata', () => {
    expect(committed.onnxPath.endsWith(`models/${committed.metadata.model.file}`)).toBe(true);
    expect(committed.metadata.crashRateScale).toBe(200);
  });

  it('gives the feature names and a reference value for each, in free flow by day on a dry road', () => {
    const m = committed.metadata;
    expect(m.features).toEqual(spec.features.map((f) => f.name));
    expect(Object.keys(m.reference!)).toEqual(m.features);
    expect(m.reference).toMatchObject({ dark: 0, twilight: 0, precipitationMmH: 0, roadWet: 0, weatherMissing: 0, upstream_1m_present: 1 });
    expect(m.reference!.flowVehH_1m).toBeGreaterThan(0);
    expect(m.reference!.harmonicMeanSpeedKmh_1m).toBeGreaterThan(0.7 * m.reference!.speedLimitKmh);
    expect(m.referenceConditions!.rows).toBeGreaterThan(10_000);
  });

  it.each<[string, (m: ModelMetadata & Record<string, unknown>) => void, string]>([
    ['a bad hash', (m) => (m.model.sha256 = 'abc'), 'model.sha256: must match pattern'],
    ['another dtype', (m) => ((m.input as { dtype: string }).dtype = 'float64'), 'input.dtype: must be one of "float32"'],
    ['no test vectors', (m) => (m.testVectors.inputs = []), 'testVectors.inputs: must NOT have fewer than 1 items'],
    ['a probability above 1', (m) => (m.testVectors.expected[0] = 1.5), 'testVectors.expected.0: must be <= 1'],
  ])('refuses %s', (_what, edit, problem) => {
    const m = copy() as ModelMetadata & Record<string, unknown>;
    edit(m);
    expect(problems(m)[0]).toContain(problem);
  });

  it('refuses test vectors of the wrong width or count', () => {
    const m = copy();
    m.testVectors.inputs[2] = m.testVectors.inputs[2].slice(1);
    m.testVectors.expected.pop();
    expect(problems(m)).toEqual([`testVectors: ${m.testVectors.inputs.length} inputs but ${m.testVectors.inputs.length - 1} expected values`, 'testVectors.inputs[2]: 88 values, the input is 89 wide']);
  });

  it('names a file that is not JSON', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'model-meta-')), 'm.json');
    writeFileSync(path, '{');
    expect(() => loadModelMetadata(path)).toThrow(`invalid model metadata ${path} configuration: not valid JSON`);
  });
});

describe('modelCompatibilityProblems', () => {
  it.each<[string, (m: ModelMetadata, s: FeatureSpec & Record<string, unknown>) => void, string]>([
    ['another spec', (_m, s) => ((s.features as unknown as { default: number }[])[0].default = 5), 'trained on feature spec 1.0.0'],
    ['another input name', (m) => (m.input.tensor = 'x'), 'input tensor is "x", the spec says "features"'],
    ['another width', (m) => (m.input.shape[1] = 90), 'input is 90 features wide, the spec has 89'],
    ['another output', (m) => (m.output.tensor = 'probabilities'), 'output tensor is "probabilities", the spec says "risk"'],
    ['another horizon', (m) => (m.output.horizonMinutes = 30), 'horizon is 30 minutes, the spec says 15'],
    ['features in another order', (m) => m.features!.reverse(), 'features differ from the spec\'s from position 0 ("freezingRisk" where the spec has "flowVehH_1m")'],
    ['a reference for no feature', (m) => (m.reference!.moonPhase = 1), 'reference names "moonPhase": not features of the spec'],
  ])('names %s', (_what, edit, problem) => {
    const m = copy();
    const s = JSON.parse(JSON.stringify(spec)) as FeatureSpec & Record<string, unknown>;
    edit(m, s);
    const p = modelCompatibilityProblems(m, s);
    expect(p).toHaveLength(1);
    expect(p[0]).toContain(problem);
  });

  it('checks the file hash when given the bytes', () => {
    const p = modelCompatibilityProblems(committed.metadata, spec, new Uint8Array([1, 2, 3]));
    expect(p).toEqual([`${committed.metadata.model.file} has sha256 039058c6f2c0, the metadata says ${committed.metadata.model.sha256.slice(0, 12)}`]);
  });
});

describe('checkTestVectors', () => {
  const m = copy();

  it('passes a runner that gives the expected values, and names each vector off by more than the tolerance', async () => {
    const exact = await checkTestVectors(m, async () => m.testVectors.expected);
    expect(exact).toEqual({ ok: true, vectors: m.testVectors.inputs.length, worst: 0, failures: [] });
    const off = await checkTestVectors(m, async () => m.testVectors.expected.map((e, i) => (i === 3 ? e + 2e-5 : i === 5 ? e - 5e-6 : e)));
    expect(off.ok).toBe(false);
    expect(off.failures).toEqual([{ index: 3, expected: m.testVectors.expected[3], got: m.testVectors.expected[3] + 2e-5 }]);
    expect(off.worst).toBeCloseTo(2e-5, 12);
  });

  it('hands the runner the vectors as one float32 batch', async () => {
    let seen: [number, number, number] = [0, 0, 0];
    await checkTestVectors(m, async (rows, count, width) => {
      seen = [rows.length, count, width];
      expect(Array.from(rows.subarray(0, width))).toEqual(m.testVectors.inputs[0]);
      return m.testVectors.expected;
    });
    expect(seen).toEqual([m.testVectors.inputs.length * 89, m.testVectors.inputs.length, 89]);
  });

  it('fails on NaN and on a wrong count', async () => {
    const nan = await checkTestVectors(m, async () => m.testVectors.expected.map(() => Number.NaN));
    expect(nan.ok).toBe(false);
    expect(nan.worst).toBe(Number.POSITIVE_INFINITY);
    await expect(checkTestVectors(m, async () => [0.1])).rejects.toThrow(`the model gave 1 outputs for ${m.testVectors.inputs.length} test vectors`);
  });
});

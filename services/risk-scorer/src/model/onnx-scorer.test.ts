import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFeatureSpec } from '@saferoads/model-spec';
import { logisticScorer } from './function-scorer.js';
import { ModelRejectedError } from './errors.js';
import { loadOnnxModel, type OnnxModel } from './onnx-scorer.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const spec = loadFeatureSpec();
const W = spec.features.length;
const fixture = (name: string) => join(FIXTURES, name);
type Meta = Record<string, unknown> & { fixture: { weights: number[]; bias: number }; testVectors: { expected: number[] }; spec: Record<string, string> };
const metaOf = (name: string): Meta => JSON.parse(readFileSync(fixture(`${name}.json`), 'utf8')) as Meta;

const loaded: OnnxModel[] = [];
const load = async (modelPath: string, metadataPath?: string) => {
  const m = await loadOnnxModel({ modelPath, metadataPath }, spec);
  loaded.push(m);
  return m;
};
afterAll(async () => {
  for (const m of loaded) await m.release();
});

/** A copy of a fixture in a temporary directory, its metadata changed by `edit` (and its bytes by `bytes`). */
function variant(name: string, edit: (m: Meta) => void, bytes?: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'risk-model-'));
  const path = join(dir, `${name}.onnx`);
  if (bytes) writeFileSync(path, bytes);
  else copyFileSync(fixture(`${name}.onnx`), path);
  const meta = metaOf(name);
  edit(meta);
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(meta));
  return path;
}

describe('loadOnnxModel: a model that fits', () => {
  it('is accepted with its version, width and reference row (metadata values, else spec defaults)', async () => {
    const m = await load(fixture('tiny-logistic.onnx'));
    expect(m.version).toBe('tiny-logistic-1');
    expect(m.width).toBe(W);
    const ref = (name: string) => m.reference[spec.features.findIndex((f) => f.name === name)];
    expect(ref('harmonicMeanSpeedKmh_1m')).toBe(95);
    expect(ref('weatherMissing')).toBe(0);
    expect(ref('visibilityM')).toBe(10_000);
    expect(ref('meanGapS_1m')).toBe(60);
  });

  it('takes reference overrides by name over the metadata\'s, and refuses unknown ones', async () => {
    const m = await loadOnnxModel({ modelPath: fixture('tiny-logistic.onnx') }, spec, { reference: { harmonicMeanSpeedKmh_1m: 110, visibilityM: 20_000 } });
    loaded.push(m);
    const ref = (name: string) => m.reference[spec.features.findIndex((f) => f.name === name)];
    expect([ref('harmonicMeanSpeedKmh_1m'), ref('harmonicMeanSpeedKmh_10m'), ref('visibilityM')]).toEqual([110, 95, 20_000]);
    await expect(loadOnnxModel({ modelPath: fixture('tiny-logistic.onnx') }, spec, { reference: { moonPhase: 1 } })).rejects.toThrow('reference override moonPhase: not a feature of the spec');
  });

  it('scores as the same logistic model in TypeScript does (onnxruntime-node against the closed form)', async () => {
    const m = await load(fixture('tiny-logistic.onnx'));
    const { weights, bias } = metaOf('tiny-logistic').fixture;
    const twin = logisticScorer('twin', weights, bias, m.reference);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.integer(), async (rows, seed) => {
        const batch = new Float32Array(rows * W);
        let s = seed | 0;
        for (let i = 0; i < batch.length; i++) {
          s = (Math.imul(s, 1_664_525) + 1_013_904_223) | 0;
          batch[i] = (s >>> 8) / (1 << 24) * 200 - 100;
        }
        const [a, b] = await Promise.all([m.score(batch, rows), twin.score(batch, rows)]);
        expect(a.length).toBe(rows);
        // onnxruntime sums in float32, the twin in double: 1e-5 is the parity bound of issue 5.
        for (let r = 0; r < rows; r++) expect(Math.abs(a[r] - b[r])).toBeLessThan(1e-5);
      }),
      { numRuns: 30 },
    );
  });

  it('scores only the rows asked for, and none for an empty batch', async () => {
    const m = await load(fixture('tiny-logistic.onnx'));
    const batch = new Float32Array(3 * W).fill(1);
    expect((await m.score(batch, 2)).length).toBe(2);
    expect((await m.score(batch, 0)).length).toBe(0);
    await expect(m.score(batch, 4)).rejects.toThrow(`a batch of 4 rows of ${W} features needs ${4 * W} values, got ${3 * W}`);
  });
});

describe('loadOnnxModel refuses a model that does not fit, saying why', () => {
  it.each<[string, string, (m: Meta) => void, string]>([
    ['a spec of another major version', 'tiny-logistic', (m) => (m.spec.specVersion = '2.0.0'), 'spec.specVersion: the model was trained on spec 2.0.0, the scorer reads spec 1.0.0 (major versions differ)'],
    ['another spec fingerprint', 'tiny-logistic', (m) => (m.spec.fingerprint = '0'.repeat(64)), 'spec.fingerprint: the model was trained on other features, order, defaults or output (000000000000, the scorer\'s spec '],
    ['another input tensor', 'tiny-logistic', (m) => ((m.input as { tensor: string }).tensor = 'input'), 'input.tensor: "input", the spec says "features"'],
    [
      'features in another order',
      'tiny-logistic',
      (m) => {
        const f = m.features as string[];
        [f[1], f[2]] = [f[2], f[1]];
      },
      'features[1]: the model has "harmonicMeanSpeedKmh_1m" where the spec has "meanSpeedKmh_1m"',
    ],
    ['a reference for an unknown feature', 'tiny-logistic', (m) => (m.reference = { moonPhase: 1 }), 'reference.moonPhase: not a feature of the spec'],
    ['a file the metadata does not describe', 'tiny-logistic', (m) => ((m.model as { sha256: string }).sha256 = 'f'.repeat(64)), 'model.sha256: the file\'s is '],
    ['a test vector the model misses', 'tiny-logistic', (m) => (m.testVectors.expected[2] += 0.001), 'testVectors[2]: expected '],
    ['metadata without test vectors', 'tiny-logistic', (m) => delete (m as Partial<Meta>).testVectors, 'testVectors: is required'],
    ['a narrower model', 'tiny-narrow', () => undefined, `input.shape: the model takes ${W - 1} features, the spec has ${W}`],
  ])('%s', async (_what, name, edit, problem) => {
    const path = variant(name, edit);
    const err = await loadOnnxModel({ modelPath: path }, spec).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ModelRejectedError);
    expect((err as ModelRejectedError).message).toContain(`model ${path} refused: `);
    expect((err as ModelRejectedError).problems.some((p) => p.includes(problem))).toBe(true);
  });

  it('a narrow graph behind metadata that claims the spec\'s width is caught by the graph check', async () => {
    const wide = metaOf('tiny-logistic');
    const path = variant(
      'tiny-narrow',
      (m) => {
        Object.assign(m, { spec: wide.spec, input: wide.input, features: wide.features, testVectors: wide.testVectors });
        delete (m.model as { sha256?: string }).sha256;
      },
    );
    await expect(loadOnnxModel({ modelPath: path }, spec)).rejects.toThrow(`graph: input "features" takes ${W - 1} features, the spec has ${W}`);
  });

  it('a file that is not ONNX', async () => {
    const path = variant('tiny-logistic', (m) => delete (m.model as { sha256?: string }).sha256, Buffer.from('not a model'));
    await expect(loadOnnxModel({ modelPath: path }, spec)).rejects.toThrow(/refused: onnxruntime cannot load it: /);
  });

  it('a missing metadata file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'risk-model-')), 'lonely.onnx');
    copyFileSync(fixture('tiny-logistic.onnx'), path);
    await expect(loadOnnxModel({ modelPath: path }, spec)).rejects.toThrow(`model ${path} refused: cannot read the metadata: `);
  });
});

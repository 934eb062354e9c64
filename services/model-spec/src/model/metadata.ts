import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from '@sinclair/typebox';
import { compileValidator, formatFieldErrors, stringEnum } from '@saferoads/shared/contracts';
import { ConfigError, SaferoadsError } from '@saferoads/shared/errors';
import { featureSpecFingerprint } from '../spec/fingerprint.js';
import type { FeatureSpec } from '../spec/types.js';

/** The committed model's metadata (models/risk-v1.json), beside its ONNX file. */
export const DEFAULT_MODEL_METADATA_PATH = fileURLToPath(new URL('../../../../models/risk-v1.json', import.meta.url));

const text = (maxLength = 2000) => Type.String({ minLength: 1, maxLength });

/**
 * models/<version>.json as train.py writes it. What a scorer relies on is checked strictly; the
 * training record and the metrics are the model card's, kept as they are.
 */
export const ModelMetadataSchema = Type.Object({
  modelVersion: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 100 }),
  model: Type.Object({
    /** The ONNX file, relative to the metadata file. */
    file: text(300),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    format: stringEnum(['onnx']),
    opsets: Type.Record(Type.String(), Type.Integer({ minimum: 1 })),
    algorithm: text(),
    trees: Type.Integer({ minimum: 1 }),
    producer: Type.Record(Type.String(), Type.String()),
  }),
  spec: Type.Object({ file: text(300), specVersion: text(50), fingerprint: Type.String({ pattern: '^[0-9a-f]{64}$' }) }),
  input: Type.Object({
    tensor: text(100),
    dtype: stringEnum(['float32']),
    shape: Type.Tuple([Type.Null(), Type.Integer({ minimum: 1 })]),
  }),
  output: Type.Object({
    tensor: text(100),
    dtype: stringEnum(['float32']),
    shape: Type.Tuple([Type.Null()]),
    horizonMinutes: Type.Integer({ minimum: 1 }),
    definition: text(),
  }),
  /** The feature names in input order (the spec's). */
  features: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  /**
   * Reference conditions, a value per feature name: the training rows' medians where traffic
   * flows freely by daylight on a dry road (referenceConditions says exactly). The scorer's
   * baseline and factors occlude against them.
   */
  reference: Type.Optional(Type.Record(Type.String(), Type.Number())),
  referenceConditions: Type.Optional(Type.Object({ definition: Type.String(), rows: Type.Integer({ minimum: 0 }) })),
  /** The crash rates of the training data relative to real ones: 1 for a real history. */
  crashRateScale: Type.Number({ exclusiveMinimum: 0 }),
  training: Type.Record(Type.String(), Type.Unknown()),
  metrics: Type.Record(Type.String(), Type.Unknown()),
  featureImportance: Type.Array(Type.Object({ feature: Type.String(), gainShare: Type.Number() })),
  testVectors: Type.Object({
    tolerance: Type.Number({ exclusiveMinimum: 0, maximum: 0.01 }),
    note: Type.Optional(Type.String()),
    inputs: Type.Array(Type.Array(Type.Number()), { minItems: 1 }),
    expected: Type.Array(Type.Number({ minimum: 0, maximum: 1 }), { minItems: 1 }),
    onnx: Type.Optional(Type.Array(Type.Number())),
  }),
});
export type ModelMetadata = Static<typeof ModelMetadataSchema>;

const validator = compileValidator(ModelMetadataSchema);

/** Checks a metadata document: its schema, then that the test vectors fit the input width. */
export function parseModelMetadata(json: unknown, origin = 'model metadata'): ModelMetadata {
  const r = validator.check(json);
  if (!r.ok) throw new ConfigError(origin, [formatFieldErrors(r.errors)]);
  const m = r.value;
  const width = m.input.shape[1];
  const problems: string[] = [];
  const v = m.testVectors;
  if (v.expected.length !== v.inputs.length) problems.push(`testVectors: ${v.inputs.length} inputs but ${v.expected.length} expected values`);
  v.inputs.forEach((row, i) => {
    if (row.length !== width) problems.push(`testVectors.inputs[${i}]: ${row.length} values, the input is ${width} wide`);
  });
  if (problems.length > 0) throw new ConfigError(origin, problems);
  return m;
}

/** A model's metadata and the path of its ONNX file. */
export interface ModelFiles {
  readonly metadata: ModelMetadata;
  readonly metadataPath: string;
  readonly onnxPath: string;
}

/** Reads models/<version>.json (or `path`) and locates its ONNX file beside it. */
export function loadModelMetadata(path: string = DEFAULT_MODEL_METADATA_PATH): ModelFiles {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SaferoadsError('IO_FAILED', `cannot read model metadata ${path}: ${(err as Error).message}`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new ConfigError(`model metadata ${path}`, [`not valid JSON: ${(err as Error).message}`]);
  }
  const metadata = parseModelMetadata(json, `model metadata ${path}`);
  return { metadata, metadataPath: path, onnxPath: join(dirname(path), metadata.model.file) };
}

/** sha256 (hex) of the model bytes: must equal metadata.model.sha256. */
export function modelSha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Why a model cannot run with rows built from `spec`, or nothing: the spec's fingerprint (the
 * model was trained on rows of exactly that spec), the input tensor's name and width, the output
 * tensor's name and the horizon. A scorer refuses a model with any of these.
 */
export function modelCompatibilityProblems(m: ModelMetadata, spec: FeatureSpec, modelBytes?: Uint8Array): string[] {
  const problems: string[] = [];
  const fp = featureSpecFingerprint(spec);
  if (m.spec.fingerprint !== fp) problems.push(`trained on feature spec ${m.spec.specVersion} (${m.spec.fingerprint.slice(0, 12)}), rows are built from spec ${spec.specVersion} (${fp.slice(0, 12)})`);
  if (m.input.tensor !== spec.input.tensor) problems.push(`input tensor is "${m.input.tensor}", the spec says "${spec.input.tensor}"`);
  if (m.input.shape[1] !== spec.features.length) problems.push(`input is ${m.input.shape[1]} features wide, the spec has ${spec.features.length}`);
  if (m.output.tensor !== spec.output.name) problems.push(`output tensor is "${m.output.tensor}", the spec says "${spec.output.name}"`);
  if (m.output.horizonMinutes !== spec.output.horizonMinutes) problems.push(`horizon is ${m.output.horizonMinutes} minutes, the spec says ${spec.output.horizonMinutes}`);
  if (m.features !== undefined) {
    const names = spec.features.map((f) => f.name);
    const first = names.findIndex((n, k) => m.features![k] !== n);
    if (m.features.length !== names.length || first >= 0) problems.push(`features differ from the spec's${first >= 0 ? ` from position ${first} ("${m.features[first]}" where the spec has "${names[first]}")` : ''}`);
  }
  const unknown = Object.keys(m.reference ?? {}).filter((n) => !spec.features.some((f) => f.name === n));
  if (unknown.length > 0) problems.push(`reference names ${unknown.map((n) => `"${n}"`).join(', ')}: not features of the spec`);
  if (modelBytes !== undefined) {
    const sha = modelSha256(modelBytes);
    if (sha !== m.model.sha256) problems.push(`${m.model.file} has sha256 ${sha.slice(0, 12)}, the metadata says ${m.model.sha256.slice(0, 12)}`);
  }
  return problems;
}

/** Runs a batch through a model: float32 rows [rows, width] in, one probability per row out. */
export type BatchRunner = (rows: Float32Array, count: number, width: number) => Promise<ArrayLike<number>>;

export interface TestVectorReport {
  readonly ok: boolean;
  readonly vectors: number;
  /** Largest |got - expected|. */
  readonly worst: number;
  /** Vectors off by more than the tolerance: index, expected, got. */
  readonly failures: readonly { readonly index: number; readonly expected: number; readonly got: number }[];
}

/**
 * Scores the metadata's test vectors with `run` (e.g. an onnxruntime session) and compares them
 * with the Python model's outputs: what a scorer checks before it swaps a model in.
 */
export async function checkTestVectors(m: ModelMetadata, run: BatchRunner): Promise<TestVectorReport> {
  const v = m.testVectors;
  const width = m.input.shape[1];
  const rows = new Float32Array(v.inputs.length * width);
  v.inputs.forEach((row, i) => rows.set(row, i * width));
  const got = await run(rows, v.inputs.length, width);
  if (got.length !== v.inputs.length) throw new SaferoadsError('STATE_INVARIANT', `the model gave ${got.length} outputs for ${v.inputs.length} test vectors`);
  let worst = 0;
  const failures: { index: number; expected: number; got: number }[] = [];
  v.expected.forEach((e, i) => {
    const d = Math.abs(got[i] - e);
    if (!(d <= worst)) worst = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
    if (!(d <= v.tolerance)) failures.push({ index: i, expected: e, got: got[i] });
  });
  return { ok: failures.length === 0, vectors: v.inputs.length, worst, failures };
}

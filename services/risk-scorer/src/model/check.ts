import { featureSpecFingerprint, type FeatureSpec } from '@saferoads/model-spec';
import type { ModelMetadata } from './metadata.js';

const major = (v: string) => v.split('.')[0];

/**
 * Every way a model's metadata does not fit the spec the scorer builds rows with: spec version
 * (same major), fingerprint (names, order, defaults and sources of the features), tensor names,
 * the number of inputs, the listed names, reference names, test vectors' shape.
 */
export function metadataProblems(meta: ModelMetadata, spec: FeatureSpec): string[] {
  const problems: string[] = [];
  const width = spec.features.length;
  const names = spec.features.map((f) => f.name);
  if (major(meta.spec.specVersion) !== major(spec.specVersion)) {
    problems.push(`spec.specVersion: the model was trained on spec ${meta.spec.specVersion}, the scorer reads spec ${spec.specVersion} (major versions differ)`);
  }
  const fp = featureSpecFingerprint(spec);
  if (meta.spec.fingerprint !== fp) {
    problems.push(
      `spec.fingerprint: the model was trained on other features, order, defaults or output (${meta.spec.fingerprint.slice(0, 12)}, the scorer's spec ${fp.slice(0, 12)})`,
    );
  }
  if (meta.input.tensor !== spec.input.tensor) problems.push(`input.tensor: "${meta.input.tensor}", the spec says "${spec.input.tensor}"`);
  if (meta.output.tensor !== spec.output.name) problems.push(`output.tensor: "${meta.output.tensor}", the spec says "${spec.output.name}"`);
  const cols = meta.input.shape[1];
  if (cols !== width) problems.push(`input.shape: the model takes ${cols} features, the spec has ${width}`);
  if (meta.features) {
    if (meta.features.length !== width) problems.push(`features: the model lists ${meta.features.length} features, the spec has ${width}`);
    const k = meta.features.findIndex((n, i) => i < width && n !== names[i]);
    if (k >= 0) problems.push(`features[${k}]: the model has "${meta.features[k]}" where the spec has "${names[k]}"`);
  }
  for (const name of Object.keys(meta.reference ?? {})) if (!names.includes(name)) problems.push(`reference.${name}: not a feature of the spec`);
  const tv = meta.testVectors;
  if (tv.inputs.length !== tv.expected.length) problems.push(`testVectors: ${tv.inputs.length} inputs but ${tv.expected.length} expected values`);
  const bad = tv.inputs.findIndex((row) => row.length !== width);
  if (bad >= 0) problems.push(`testVectors.inputs[${bad}]: ${tv.inputs[bad].length} values, the spec has ${width} features`);
  return problems;
}

/** The reference row in spec order: the metadata's values where given, else each feature's default. */
export function referenceRow(meta: ModelMetadata, spec: FeatureSpec): Float32Array {
  return Float32Array.from(spec.features, (f) => meta.reference?.[f.name] ?? f.default);
}

/** Test vectors the model's answers miss by more than the tolerance, described (at most `limit`). */
export function testVectorProblems(meta: ModelMetadata, got: Float32Array, limit = 3): string[] {
  const { expected, tolerance } = meta.testVectors;
  const misses: string[] = [];
  let count = 0;
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(got[i] - expected[i]);
    if (diff <= tolerance) continue;
    count++;
    if (misses.length < limit) misses.push(`testVectors[${i}]: expected ${expected[i]}, the model gives ${got[i]} (off by ${diff.toExponential(2)}, tolerance ${tolerance})`);
  }
  if (count > limit) misses.push(`testVectors: ${count - limit} more outside the tolerance`);
  return misses;
}

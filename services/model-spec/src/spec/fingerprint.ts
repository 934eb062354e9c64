import { createHash } from 'node:crypto';
import type { FeatureSpec } from './types.js';

/** JSON with object keys sorted at every level: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * sha256 (hex) of what a model depends on: the input tensor, the output's definition, and each
 * feature's name, source and default, in order. Descriptions, units (fixed by the source) and
 * comments are left out, so editing the prose never invalidates a trained model. A model's
 * metadata records the fingerprint of the spec it was trained on; a scorer refuses a model whose
 * fingerprint differs from the spec it builds rows with.
 */
export function featureSpecFingerprint(spec: FeatureSpec): string {
  const essence = {
    input: { tensor: spec.input.tensor, dtype: spec.input.dtype },
    output: { name: spec.output.name, kind: spec.output.kind, event: spec.output.event, horizonMinutes: spec.output.horizonMinutes },
    features: spec.features.map((f) => ({ name: f.name, default: f.default, source: f.source })),
  };
  return createHash('sha256').update(canonicalJson(essence)).digest('hex');
}

import { describe, expect, it } from 'vitest';
import { canonicalJson, featureSpecFingerprint } from './fingerprint.js';
import { loadFeatureSpec } from './parse.js';
import type { FeatureSpec } from './types.js';

const spec = loadFeatureSpec();
const copy = (): FeatureSpec & { features: { description: string; default: number; unit: string }[] } => JSON.parse(JSON.stringify(spec));

describe('canonicalJson', () => {
  it.each<[unknown, string]>([
    [{ b: 1, a: [2, { d: null, c: 'x' }] }, '{"a":[2,{"c":"x","d":null}],"b":1}'],
    [{ a: undefined, b: 0.1 }, '{"b":0.1}'],
    [[], '[]'],
    ['é', '"é"'],
  ])('%j -> %s', (value, text) => expect(canonicalJson(value)).toBe(text));
});

describe('featureSpecFingerprint', () => {
  const base = featureSpecFingerprint(spec);

  it('is a sha256 hex, unchanged by prose, units, comments and version', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    const c = copy();
    c.features[0].description = 'something else';
    (c as { description: string }).description = 'new words';
    (c as { specVersion: string }).specVersion = '1.0.1';
    expect(featureSpecFingerprint(c)).toBe(base);
  });

  it.each<[string, (c: ReturnType<typeof copy>) => void]>([
    ['a default', (c) => (c.features[3].default = 1)],
    ['the order', (c) => c.features.reverse()],
    ['a dropped feature', (c) => c.features.pop()],
    ['the horizon', (c) => ((c.output as { horizonMinutes: number }).horizonMinutes = 30)],
    ['the tensor name', (c) => ((c.input as { tensor: string }).tensor = 'input')],
  ])('changes with %s', (_what, edit) => {
    const c = copy();
    edit(c);
    expect(featureSpecFingerprint(c)).not.toBe(base);
  });
});

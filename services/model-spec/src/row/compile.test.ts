import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTEXT_FEATURE_COUNT, CONTEXT_FEATURES } from '@saferoads/context';
import type { TrafficStats } from '@saferoads/shared/contracts';
import { loadFeatureSpec } from '../spec/parse.js';
import { STATS_FIELDS } from '../spec/stats-fields.js';
import type { FeatureDef, FeatureSource, FeatureSpec } from '../spec/types.js';
import { statsRecord } from '../testing.js';
import { compileRowWriter } from './compile.js';
import type { SegmentMinuteInputs, WindowRecords } from './inputs.js';
import { interpretedRowWriter } from './interpreted.js';

const spec = loadFeatureSpec();
const WINDOWS = ['1m', '10m'] as const;
const SIDES = ['upstream', 'downstream'] as const;

/** Field values of every kind a reader has to sort out: plain, zero, -0, NaN, infinities, null, absent, not a number. */
const value = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(0, -0, NaN, Infinity, -Infinity, null, undefined, '5', true, 1e308) },
);
const count = fc.oneof(fc.nat(200), fc.constantFrom<unknown>(0, 0, -3, NaN, null, 0.5));

const record = (window: (typeof WINDOWS)[number]): fc.Arbitrary<TrafficStats> =>
  fc.tuple(fc.dictionary(fc.constantFrom(...STATS_FIELDS), value, { maxKeys: STATS_FIELDS.length }), count).map(([over, c]) => {
    const r: Record<string, unknown> = { ...statsRecord(window), ...over, count: c };
    for (const [k, v] of Object.entries(over)) if (v === undefined) delete r[k];
    return r as unknown as TrafficStats;
  });
const windowRecords: fc.Arbitrary<WindowRecords> = fc.record(
  { '1m': fc.oneof(record('1m'), fc.constant(null)), '10m': fc.oneof(record('10m'), fc.constant(null)) },
  { requiredKeys: [] },
);
const inputs: fc.Arbitrary<SegmentMinuteInputs> = fc.record(
  {
    own: windowRecords,
    upstream: fc.array(windowRecords, { maxLength: 3 }),
    downstream: fc.array(windowRecords, { maxLength: 3 }),
    context: fc.array(value.map((v) => (typeof v === 'number' ? v : NaN)), { minLength: CONTEXT_FEATURE_COUNT + 4, maxLength: CONTEXT_FEATURE_COUNT + 4 }),
    contextOffset: fc.integer({ min: 0, max: 4 }),
  },
  { requiredKeys: ['own', 'upstream', 'downstream'] },
);

const source: fc.Arbitrary<FeatureSource> = fc.oneof(
  fc.record({ kind: fc.constant('stats' as const), window: fc.constantFrom(...WINDOWS), field: fc.constantFrom(...STATS_FIELDS) }),
  fc.record({ kind: fc.constant('windowDifference' as const), field: fc.constantFrom(...STATS_FIELDS) }),
  fc.record({ kind: fc.constant('neighbourDifference' as const), neighbour: fc.constantFrom(...SIDES), window: fc.constantFrom(...WINDOWS), field: fc.constantFrom(...STATS_FIELDS) }),
  fc.record({ kind: fc.constant('neighbourPresent' as const), neighbour: fc.constantFrom(...SIDES), window: fc.constantFrom(...WINDOWS) }),
  fc.record({ kind: fc.constant('context' as const), feature: fc.constantFrom(...CONTEXT_FEATURES.map((f) => f.name)) }),
);
/** Specs of any sources in any order; names with quotes, newlines and line separators, which the generated text must not trip on. */
const randomSpec: fc.Arbitrary<FeatureSpec> = fc
  .array(fc.record({ name: fc.string({ unit: 'binary', maxLength: 8 }), default: fc.double(), source }), { minLength: 1, maxLength: 40 })
  .map((defs) => ({ ...spec, features: defs.map((d): FeatureDef => ({ ...d, unit: '1', description: 'generated' })) }));

/** Both writers' rows (Object.is per value, so -0 and NaN count), missing flags and default counts, at an offset. */
function expectSameRows(s: FeatureSpec, x: SegmentMinuteInputs): void {
  const width = s.features.length;
  const rows = [compileRowWriter(s), interpretedRowWriter(s)].map((write) => {
    const out = new Float64Array(width + 3).fill(-7);
    const missing = new Uint8Array(width).fill(9);
    const defaults = write(x, out, 2, missing);
    return { out: Array.from(out), missing: Array.from(missing), defaults };
  });
  expect(rows[0]).toStrictEqual(rows[1]);
  rows[0].out.forEach((v, k) => expect(Object.is(v, rows[1].out[k]), `value ${k}`).toBe(true));
  // Without missing flags, into a float32 row and a plain array.
  for (const make of [() => new Float32Array(width), (): number[] => new Array<number>(width).fill(0)]) {
    const [a, b] = [make(), make()];
    expect(compileRowWriter(s)(x, a, 0)).toBe(interpretedRowWriter(s)(x, b, 0));
    expect(Array.from(a)).toStrictEqual(Array.from(b));
  }
}

describe('compileRowWriter', () => {
  it('writes what the interpreted readers write for the shipped spec, on random inputs', () => {
    fc.assert(
      fc.property(inputs, (x) => expectSameRows(spec, x)),
      { numRuns: 1000 },
    );
  });

  it('writes what the interpreted readers write for random specs and inputs', () => {
    fc.assert(
      fc.property(randomSpec, inputs, (s, x) => expectSameRows(s, x)),
      { numRuns: 500 },
    );
  });

  it('reads context from offset 0 when no offset is given, and takes defaults without context', () => {
    const k = spec.features.findIndex((f) => f.source.kind === 'context');
    const write = compileRowWriter(spec);
    const out = new Float64Array(spec.features.length);
    const context = Float64Array.from({ length: CONTEXT_FEATURE_COUNT }, (_, i) => i + 0.5);
    const src = spec.features[k].source;
    if (src.kind !== 'context') throw new Error('unreachable');
    write({ own: {}, upstream: [], downstream: [], context }, out, 0);
    expect(out[k]).toBe(CONTEXT_FEATURES.findIndex((f) => f.name === src.feature) + 0.5);
    write({ own: {}, upstream: [], downstream: [] }, out, 0);
    expect(out[k]).toBe(spec.features[k].default);
  });
});

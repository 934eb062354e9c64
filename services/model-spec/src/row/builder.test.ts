import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTEXT_FEATURE_COUNT, FEATURE_INDEX } from '@saferoads/context';
import { loadFeatureSpec } from '../spec/parse.js';
import type { FeatureDef, FeatureSpec } from '../spec/types.js';
import { emptyStatsRecord, statsRecord } from '../testing.js';
import { FeatureRowBuilder, type SegmentMinuteInputs } from './builder.js';

const spec = loadFeatureSpec();
const builder = new FeatureRowBuilder(spec);

const context = new Float64Array(CONTEXT_FEATURE_COUNT);
context[FEATURE_INDEX.precipitationMmH] = 2.5;
context[FEATURE_INDEX.curvatureDegPerKm] = 40;
context[FEATURE_INDEX.visibilityM] = 180;

const own = { '1m': statsRecord('1m', { harmonicMeanSpeedKmh: 60, densityVehKm: 30, speedStdKmh: 18 }), '10m': statsRecord('10m', { harmonicMeanSpeedKmh: 90, speedStdKmh: 11 }) };

describe('FeatureRowBuilder: known answers', () => {
  it('reads own stats, window differences, neighbours and context by the spec', () => {
    const row = builder.record({
      own,
      upstream: [
        { '1m': statsRecord('1m', { count: 10, harmonicMeanSpeedKmh: 100, densityVehKm: 12 }) },
        { '1m': statsRecord('1m', { count: 30, harmonicMeanSpeedKmh: 80, densityVehKm: 20 }) },
      ],
      downstream: [{ '1m': statsRecord('1m', { harmonicMeanSpeedKmh: 40, densityVehKm: 50 }), '10m': statsRecord('10m', { harmonicMeanSpeedKmh: 70 }) }],
      context,
    });
    expect(row).toMatchObject({
      harmonicMeanSpeedKmh_1m: 60,
      harmonicMeanSpeedKmh_10m: 90,
      speedStdKmh_1m: 18,
      harmonicMeanSpeedKmh_1m_minus_10m: -30,
      speedStdKmh_1m_minus_10m: 7,
      upstream_1m_present: 1,
      downstream_1m_present: 1,
      // Upstream: (10 * 100 + 30 * 80) / 40 = 85, minus 60 here.
      harmonicMeanSpeedKmh_1m_upstream_minus_here: 25,
      // Density: (10 * 12 + 30 * 20) / 40 = 18, minus 30 here.
      densityVehKm_1m_upstream_minus_here: -12,
      harmonicMeanSpeedKmh_1m_here_minus_downstream: 20,
      densityVehKm_1m_here_minus_downstream: -20,
      // No upstream 10-minute records: the default.
      harmonicMeanSpeedKmh_10m_upstream_minus_here: 0,
      harmonicMeanSpeedKmh_10m_here_minus_downstream: 20,
      precipitationMmH: 2.5,
      curvatureDegPerKm: 40,
      visibilityM: 180,
      freezingRisk: 0,
    });
  });

  it('takes defaults for an empty window, missing neighbours and no context, and says which', () => {
    const missing = new Uint8Array(builder.width);
    const out = new Float32Array(builder.width + 2).fill(-1);
    const x: SegmentMinuteInputs = { own: { '1m': emptyStatsRecord('1m'), '10m': own['10m'] }, upstream: [{}], downstream: [] };
    const defaults = builder.write(x, out, 1, missing);
    const byName = (n: string) => out[1 + builder.names.indexOf(n)];
    expect(out[0]).toBe(-1);
    expect(out[builder.width + 1]).toBe(-1);
    expect(byName('flowVehH_1m')).toBe(0); // 0 is the value, not the default
    expect(byName('harmonicMeanSpeedKmh_1m')).toBe(0);
    expect(byName('meanGapS_1m')).toBe(60);
    expect(byName('harmonicMeanSpeedKmh_1m_minus_10m')).toBe(0);
    expect(byName('upstream_1m_present')).toBe(0);
    expect(byName('visibilityM')).toBe(10_000);
    expect(byName('airTemperatureC')).toBe(10);
    expect(byName('harmonicMeanSpeedKmh_10m')).toBe(90);
    const missed = builder.names.filter((_, k) => missing[k] === 1);
    // 12 fields of the empty minute are null (all but flow, occupancy and density), so are 2 of
    // the 5 window differences (speed and its spread); all 6 neighbour differences (an upstream
    // neighbour without records, no downstream one); all 46 context features.
    expect(missed).toContain('meanGapS_1m');
    expect(missed).not.toContain('flowVehH_1m');
    expect(missed).not.toContain('upstream_1m_present');
    expect(missed.filter((n) => spec.features[builder.names.indexOf(n)].source.kind === 'context')).toHaveLength(46);
    expect(defaults).toBe(missed.length);
    expect(missed.length).toBe(12 + 2 + 6 + 46);
  });

  it('combines neighbours with no vehicles by a plain mean', () => {
    const row = builder.record({
      own: { '1m': statsRecord('1m', { count: 0, densityVehKm: 10 }) },
      upstream: [{ '1m': statsRecord('1m', { count: 0, densityVehKm: 0 }) }, { '1m': statsRecord('1m', { count: 0, densityVehKm: 4 }) }],
      downstream: [],
    });
    expect(row.densityVehKm_1m_upstream_minus_here).toBe(-8);
  });
});

describe('FeatureRowBuilder: the spec sets the order', () => {
  /** The row of a spec with its features in another order is the same values, permuted. */
  it('follows any permutation of the spec', () => {
    const x: SegmentMinuteInputs = { own, upstream: [{ '1m': statsRecord('1m', { harmonicMeanSpeedKmh: 77 }) }], downstream: [], context };
    const reference = builder.record(x);
    fc.assert(
      fc.property(fc.shuffledSubarray([...spec.features], { minLength: 1 }), (features: FeatureDef[]) => {
        const b = new FeatureRowBuilder({ ...spec, features } satisfies FeatureSpec);
        const row = new Float64Array(b.width);
        b.write(x, row);
        expect(Array.from(row)).toEqual(features.map((f) => reference[f.name]));
      }),
      { numRuns: 50 },
    );
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTEXT_FEATURES } from '@saferoads/context';
import { ConfigError, SaferoadsError } from '@saferoads/shared/errors';
import { loadFeatureSpec, parseFeatureSpec } from './parse.js';
import type { FeatureSpec } from './types.js';

const committed = loadFeatureSpec();

/** A copy of the committed spec as plain JSON, changed by `edit`. */
function edited(edit: (doc: { features: Record<string, unknown>[] } & Record<string, unknown>) => void): unknown {
  const doc = JSON.parse(JSON.stringify(committed)) as { features: Record<string, unknown>[] } & Record<string, unknown>;
  edit(doc);
  return doc;
}

function problemsOf(json: unknown): readonly string[] {
  try {
    parseFeatureSpec(json, 'test spec');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('models/feature-spec.json', () => {
  it('loads: 89 features in order, each with unit, description, default and source; output is a 15-minute crash probability', () => {
    expect(committed.specVersion).toBe('1.0.0');
    expect(committed.features).toHaveLength(89);
    expect(committed.features.slice(0, 3).map((f) => f.name)).toEqual(['flowVehH_1m', 'meanSpeedKmh_1m', 'harmonicMeanSpeedKmh_1m']);
    expect(committed.features.at(-1)).toMatchObject({ name: 'freezingRisk', unit: '0/1', default: 0, source: { kind: 'context', feature: 'freezingRisk' } });
    expect(committed.output).toMatchObject({ name: 'risk', kind: 'probability', horizonMinutes: 15 });
    expect(committed.input).toMatchObject({ tensor: 'features', dtype: 'float32' });
    const kinds = new Map<string, number>();
    for (const f of committed.features) kinds.set(f.source.kind, (kinds.get(f.source.kind) ?? 0) + 1);
    expect(Object.fromEntries(kinds)).toEqual({ stats: 30, windowDifference: 5, neighbourPresent: 2, neighbourDifference: 6, context: 46 });
  });

  it('takes each context feature\'s unit from @saferoads/context', () => {
    const units = new Map(CONTEXT_FEATURES.map((f) => [f.name, f.unit]));
    for (const f of committed.features) if (f.source.kind === 'context') expect(f.unit).toBe(units.get(f.source.feature));
  });
});

describe('parseFeatureSpec refuses a bad spec, naming the place and the reason', () => {
  it.each<[string, (doc: { features: Record<string, unknown>[] } & Record<string, unknown>) => void, string]>([
    ['a repeated name', (d) => (d.features[1].name = 'flowVehH_1m'), 'features[1] (flowVehH_1m): name repeats features[0]'],
    ['an unknown context feature', (d) => (d.features[88].source = { kind: 'context', feature: 'moonPhase' }), 'features[88] (freezingRisk).source.feature: unknown context feature "moonPhase" (not in @saferoads/context CONTEXT_FEATURES)'],
    ['a unit that is not its source\'s', (d) => (d.features[0].unit = 'veh/min'), 'features[0] (flowVehH_1m).unit: is "veh/min", but its source is in "veh/h"'],
    ['two features reading one value', (d) => (d.features[1].source = { kind: 'stats', window: '1m', field: 'harmonicMeanSpeedKmh' }), 'features[2] (harmonicMeanSpeedKmh_1m).source: reads the same value as features[1]'],
    ['an unknown stats field', (d) => (d.features[0].source = { kind: 'stats', window: '1m', field: 'speedKmh' }), 'features[0] (flowVehH_1m).source.field: must be one of'],
    ['an unknown window', (d) => (d.features[0].source = { kind: 'stats', window: '5m', field: 'flowVehH' }), 'features[0] (flowVehH_1m).source.window: must be one of "1m", "10m"'],
    ['a side that is not one', (d) => (d.features[35].source = { kind: 'neighbourPresent', neighbour: 'left', window: '1m' }), 'features[35] (upstream_1m_present).source.neighbour: must be one of "upstream", "downstream"'],
    ['an extra source key', (d) => (d.features[30].source = { kind: 'windowDifference', field: 'harmonicMeanSpeedKmh', window: '1m' }), 'features[30] (harmonicMeanSpeedKmh_1m_minus_10m).source: must NOT have additional properties'],
  ])('%s', (_what, edit, problem) => {
    const problems = problemsOf(edited(edit));
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(problem)).toBe(true);
  });

  it.each<[string, (doc: { features: Record<string, unknown>[] } & Record<string, unknown>) => void, string]>([
    ['a version that is not semver', (d) => (d.specVersion = 'v1'), 'spec.specVersion: must match pattern'],
    ['an unknown source kind', (d) => (d.features[2].source = { kind: 'lidar' }), 'spec.features.2.source.kind: must be one of'],
    ['a feature without a default', (d) => delete d.features[3].default, 'spec.features.3.default: is required'],
    ['a name that is not an identifier', (d) => (d.features[4].name = 'speed cv'), 'spec.features.4.name: must match pattern'],
    ['no features', (d) => (d.features = []), 'spec.features: must NOT have fewer than 1 items'],
    ['another output kind', (d) => ((d.output as Record<string, unknown>).kind = 'score'), 'spec.output.kind: must be one of "probability"'],
  ])('%s (outline)', (_what, edit, problem) => {
    expect(problemsOf(edited(edit)).some((p) => p.startsWith(problem))).toBe(true);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf(
      edited((d) => {
        d.features[0].unit = 'x';
        d.features[1].name = 'flowVehH_1m';
        d.features[88].source = { kind: 'context', feature: 'nope' };
      }),
    );
    expect(problems).toHaveLength(3);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('refuses a default of %d given in code', (value) => {
    const doc = edited(() => {}) as FeatureSpec & { features: { default: number }[] };
    doc.features[0].default = value;
    expect(problemsOf(doc)).toEqual(['spec.features.0.default: must be number']);
  });
});

describe('loadFeatureSpec', () => {
  const dir = mkdtempSync(join(tmpdir(), 'model-spec-'));

  it('names the file when it is not JSON', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "specVersion": ');
    expect(() => loadFeatureSpec(path)).toThrow(new RegExp(`invalid feature spec ${path} configuration: not valid JSON`));
  });

  it('fails with IO_FAILED for a missing file', () => {
    const path = join(dir, 'none.json');
    expect(() => loadFeatureSpec(path)).toThrow(SaferoadsError);
    expect(() => loadFeatureSpec(path)).toThrow(`cannot read feature spec ${path}`);
  });
});

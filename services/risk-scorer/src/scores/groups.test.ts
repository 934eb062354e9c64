import { describe, expect, it } from 'vitest';
import { loadFeatureSpec, parseFeatureSpec } from '@saferoads/model-spec';
import { FACTOR_GROUPS, featureGroups } from './groups.js';
import { levelOf, type LevelThresholds, type RiskLevel } from './levels.js';
import { scoresConfig } from './config.js';

const spec = loadFeatureSpec();
const groups = featureGroups(spec);
const groupOf = (feature: string) => groups.find((g) => g.columns.includes(spec.features.findIndex((f) => f.name === feature)))?.name;

describe('featureGroups over the committed spec', () => {
  it('puts every feature in exactly one group, and every group has features', () => {
    const all = groups.flatMap((g) => g.columns).sort((a, b) => a - b);
    expect(all).toEqual(spec.features.map((_, k) => k));
    expect(groups.map((g) => g.name)).toEqual(FACTOR_GROUPS.map((g) => g.name));
  });

  it.each([
    ['speedStdKmh_1m', 'speedVariation'],
    ['laneSpeedSpreadKmh_10m', 'speedVariation'],
    ['p85SpeedKmh_1m', 'speed'],
    ['densityVehKm_10m', 'volume'],
    ['shareGapUnder1s_1m', 'gaps'],
    ['truckShare_1m', 'trucks'],
    ['harmonicMeanSpeedKmh_1m_minus_10m', 'suddenChange'],
    ['upstream_1m_present', 'shockwave'],
    ['harmonicMeanSpeedKmh_1m_here_minus_downstream', 'shockwave'],
    ['precipSnow', 'precipitation'],
    ['freezingRisk', 'roadSurface'],
    ['visibilityM', 'visibility'],
    ['windGustMs', 'wind'],
    ['weatherAgeMin', 'weatherData'],
    ['dark', 'light'],
    ['sunGlare', 'glare'],
    ['holiday', 'calendar'],
    ['minRadiusM', 'curve'],
    ['lanesChangeDownstream', 'roadLayout'],
    ['distOnRampM', 'roadLayout'],
  ])('%s is in %s', (feature, group) => expect(groupOf(feature)).toBe(group));

  it('groups by source, not position: a reversed spec groups the same features together', () => {
    const reversed = parseFeatureSpec({ ...JSON.parse(JSON.stringify(spec)), features: [...spec.features].reverse() });
    const names = (s: typeof spec, gs: ReturnType<typeof featureGroups>) => gs.map((g) => [g.name, g.columns.map((k) => s.features[k].name).sort()]);
    expect(names(reversed, featureGroups(reversed))).toEqual(names(spec, groups));
  });

  it('refuses an assignment to a group that does not exist', () => {
    expect(() => featureGroups(spec, FACTOR_GROUPS, (_s, name) => (name === 'dark' ? 'night' : 'volume'))).toThrow(
      'invalid risk-scorer factor groups configuration: features[68] (dark): assigned to unknown group "night"',
    );
  });
});

describe('levelOf', () => {
  const t: LevelThresholds = { elevated: 2, high: 3.5, severe: 6 };
  it.each<[number, RiskLevel]>([
    [0, 'low'],
    [1.999, 'low'],
    [2, 'elevated'],
    [3.4999, 'elevated'],
    [3.5, 'high'],
    [6, 'severe'],
    [1e9, 'severe'],
    [Number.NaN, 'low'],
  ])('%d -> %s', (value, level) => expect(levelOf(value, t)).toBe(level));
});

describe('scoresConfig', () => {
  it('fills the defaults', () => {
    expect(scoresConfig()).toEqual({ levelBasis: 'relativeRisk', levels: { elevated: 2, high: 3.5, severe: 6 }, topFactors: 3, factorsMinLevel: 'low', minBaselineRisk: 1e-6 });
  });
  it.each<[string, Parameters<typeof scoresConfig>[0], string]>([
    ['thresholds out of order', { levels: { elevated: 3, high: 2, severe: 6 } }, 'levels.high: must be above levels.elevated (3), got 2'],
    ['a probability threshold above 1', { levelBasis: 'risk', levels: { elevated: 0.1, high: 0.5, severe: 2 } }, 'levels.severe: must be <= 1 with levelBasis "risk" (a probability), got 2'],
    ['an unknown basis', { levelBasis: 'odds' as 'risk' }, 'levelBasis: must be one of "relativeRisk", "risk"'],
    ['a negative count', { topFactors: -1 }, 'topFactors: must be >= 0'],
  ])('refuses %s', (_what, config, problem) => {
    expect(() => scoresConfig(config)).toThrow(`invalid risk-scorer scores configuration: ${problem}`);
  });
});

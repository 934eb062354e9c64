import { describe, expect, it } from 'vitest';
import { entriesApplicableFrom, entryInForce, riskThresholdsRecordValidator, thresholdsProblems, type RiskThresholds, type RiskThresholdsRecord } from './thresholds.js';

const T0 = 1_773_126_000_000;
const MIN = 60_000;

const thresholds: RiskThresholds = {
  levelBasis: 'relativeRisk',
  levels: { elevated: 2, high: 3.5, severe: 6 },
  alerts: { raiseLevel: 'high', raiseAfterMinutes: 3, escalateAfterMinutes: 1, deescalateAfterMinutes: 3, clearBelow: 'elevated', resolveAfterMinutes: 5 },
};
const record: RiskThresholdsRecord = {
  version: 3,
  effectiveFromMs: T0 + 5 * MIN,
  thresholds,
  setBy: 'ada',
  setAtMs: T0 + 4 * MIN + 12_345,
  note: 'winter tuning',
  earlier: [{ version: 2, effectiveFromMs: T0, thresholds: { ...thresholds, levels: { elevated: 1.5, high: 3, severe: 5 } } }],
};

describe('thresholds cross-field rules', () => {
  it.each<[string, RiskThresholds, { field: string; reason: string }[]]>([
    ['the defaults', thresholds, []],
    ['high not above elevated', { ...thresholds, levels: { elevated: 3, high: 3, severe: 6 } }, [{ field: 'levels.high', reason: 'must be above levels.elevated (3), got 3' }]],
    [
      'all three out of order',
      { ...thresholds, levels: { elevated: 6, high: 3.5, severe: 2 } },
      [
        { field: 'levels.high', reason: 'must be above levels.elevated (6), got 3.5' },
        { field: 'levels.severe', reason: 'must be above levels.high (3.5), got 2' },
      ],
    ],
    ['a probability above 1', { ...thresholds, levelBasis: 'risk' }, [{ field: 'levels.severe', reason: 'must be <= 1 with levelBasis "risk" (a probability), got 6' }]],
    [
      'clearBelow above raiseLevel',
      { ...thresholds, alerts: { ...thresholds.alerts, raiseLevel: 'elevated', clearBelow: 'high' } },
      [{ field: 'alerts.clearBelow', reason: 'must not be above alerts.raiseLevel ("elevated"), got "high" (a minute could raise an alert and count towards resolving it)' }],
    ],
  ])('%s', (_what, t, problems) => {
    expect(thresholdsProblems(t)).toEqual(problems);
  });

  it('names fields under a prefix', () => {
    expect(thresholdsProblems({ ...thresholds, levels: { elevated: 2, high: 1, severe: 6 } }, 'thresholds.')).toEqual([{ field: 'thresholds.levels.high', reason: 'must be above thresholds.levels.elevated (2), got 1' }]);
  });
});

describe('risk.thresholds record contract', () => {
  it('accepts a record with the versions it supersedes', () => {
    expect(riskThresholdsRecordValidator.check(record)).toEqual({ ok: true, value: record });
  });

  it.each<[string, unknown, { field: string; reason: string }[]]>([
    ['an effective time off the minute', { ...record, effectiveFromMs: T0 + 1 }, [{ field: 'effectiveFromMs', reason: 'must be multiple of 60000' }]],
    ['a version 0', { ...record, version: 0 }, [{ field: 'version', reason: 'must be >= 1' }]],
    ['an unknown field', { ...record, thresholds: { ...thresholds, extra: 1 } }, [{ field: 'thresholds', reason: 'must NOT have additional properties' }]],
    ['a missing alert setting', { ...record, thresholds: { ...thresholds, alerts: { ...thresholds.alerts, resolveAfterMinutes: undefined } } }, [{ field: 'thresholds.alerts.resolveAfterMinutes', reason: 'is required' }]],
    ['levels out of order', { ...record, thresholds: { ...thresholds, levels: { elevated: 2, high: 1, severe: 6 } } }, [{ field: 'thresholds.levels.high', reason: 'must be above thresholds.levels.elevated (2), got 1' }]],
    [
      'an earlier version out of order',
      { ...record, earlier: [{ ...record.earlier[0], thresholds: { ...thresholds, levelBasis: 'risk' } }] },
      [{ field: 'earlier.0.thresholds.levels.severe', reason: 'must be <= 1 with earlier.0.thresholds.levelBasis "risk" (a probability), got 6' }],
    ],
    ['an earlier version not below its own', { ...record, earlier: [{ ...record.earlier[0], version: 3 }] }, [{ field: 'earlier.0.version', reason: 'must be below version (3), got 3' }]],
    [
      'earlier versions not increasing',
      { ...record, earlier: [{ ...record.earlier[0], version: 2 }, { ...record.earlier[0], version: 1 }] },
      [{ field: 'earlier.1.version', reason: 'must be below version (3) and above earlier.0.version (2), got 1' }],
    ],
  ])('refuses %s, naming the field and the reason', (_what, input, errors) => {
    expect(riskThresholdsRecordValidator.check(JSON.parse(JSON.stringify(input)))).toEqual({ ok: false, errors });
  });
});

describe('which version is in force', () => {
  // v2 was scheduled for minute 10, then v3 set for minute 5: v3 overrides v2, which never applies.
  const entries = [
    { version: 1, effectiveFromMs: T0 },
    { version: 2, effectiveFromMs: T0 + 10 * MIN },
    { version: 3, effectiveFromMs: T0 + 5 * MIN },
    { version: 4, effectiveFromMs: T0 + 20 * MIN },
  ];

  it.each([
    [-1, undefined],
    [0, 1],
    [4, 1],
    [5, 3],
    [12, 3],
    [19, 3],
    [20, 4],
    [999, 4],
  ])('at the end of minute %i: version %s', (minute, version) => {
    expect(entryInForce(entries, T0 + minute * MIN)?.version).toBe(version);
  });

  it.each([
    [-100, [1, 3, 4]],
    [4, [1, 3, 4]],
    [5, [3, 4]],
    [25, [4]],
  ])('from minute %i on, versions %j apply', (minute, versions) => {
    expect(entriesApplicableFrom(entries, T0 + minute * MIN).map((e) => e.version)).toEqual(versions);
  });

  it('agrees with entryInForce minute by minute', () => {
    for (let from = -2; from <= 22; from++) {
      const kept = entriesApplicableFrom(entries, T0 + from * MIN);
      for (let m = from; m <= 25; m++) expect(entryInForce(kept, T0 + m * MIN)?.version).toBe(entryInForce(entries, T0 + m * MIN)?.version);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { InMemoryWeatherTable } from '@saferoads/context';
import type { RiskThresholds, RiskThresholdsRecord } from '@saferoads/shared/contracts';
import { RiskPipeline, type ScoredMinute } from '../pipeline.js';
import { MINUTE_MS, T0 } from '../testing/index.js';
import { alertConfig } from '../alerts/config.js';
import { scoresConfig } from '../scores/config.js';
import {
  scenarioAlerts,
  scenarioAssembler,
  scenarioInput,
  scenarioModel,
  scenarioNetwork,
  scenarioRain,
  scenarioScores,
  scenarioSpec,
  scenarioThresholdsRecord as V1_RECORD,
} from '../testing/scenario.js';
import { ThresholdsSchedule } from './schedule.js';

const DEFAULTS: RiskThresholds = {
  levelBasis: 'relativeRisk',
  levels: { elevated: 2, high: 3.5, severe: 6 },
  alerts: { raiseLevel: 'high', raiseAfterMinutes: 3, escalateAfterMinutes: 1, deescalateAfterMinutes: 3, clearBelow: 'elevated', resolveAfterMinutes: 5 },
};
const t = (elevated: number): RiskThresholds => ({ ...DEFAULTS, levels: { elevated, high: 10, severe: 20 } });
const rec = (version: number, minute: number, thresholds: RiskThresholds, earlier: RiskThresholdsRecord['earlier'] = []): RiskThresholdsRecord => ({
  version,
  effectiveFromMs: T0 + minute * MINUTE_MS,
  thresholds,
  setBy: 'ada',
  setAtMs: T0,
  note: `v${version}`,
  earlier,
});
const versionAt = (s: ThresholdsSchedule, minute: number) => s.at(T0 + minute * MINUTE_MS).version;

describe('ThresholdsSchedule', () => {
  it('answers the configured defaults, as version 0, until a record is applied', () => {
    const s = new ThresholdsSchedule(DEFAULTS);
    expect(s.at(T0)).toEqual({ version: 0, ...DEFAULTS });
    expect(s.latestVersion).toBe(0);
  });

  it('applies each version to the minutes ending at or after its effective time, a later version overriding a pending one', () => {
    const s = new ThresholdsSchedule(DEFAULTS);
    expect(s.apply(rec(1, 5, t(1)))).toEqual({ outcome: 'applied', added: [1] });
    expect(s.apply(rec(2, 20, t(2)))).toEqual({ outcome: 'applied', added: [2] });
    // v3 set while v2 was pending, effective before it: v2 never applies.
    expect(s.apply(rec(3, 10, t(3)))).toEqual({ outcome: 'applied', added: [3] });
    expect([4, 5, 9, 10, 19, 20, 99].map((m) => versionAt(s, m))).toEqual([0, 1, 1, 3, 3, 3, 3]);
    expect(s.at(T0 + 5 * MINUTE_MS)).toEqual({ version: 1, ...t(1) });
    expect([s.latestVersion, s.versions()]).toEqual([3, [1, 2, 3]]);
  });

  it('learns the earlier versions a record carries (the newest record alone, as a compacted topic keeps it), and keeps the versions it knew', () => {
    const s = new ThresholdsSchedule(DEFAULTS);
    expect(s.apply(rec(4, 30, t(4), [{ version: 2, effectiveFromMs: T0, thresholds: t(2) }]))).toEqual({ outcome: 'applied', added: [2, 4] });
    expect([-1, 0, 29, 30].map((m) => versionAt(s, m))).toEqual([0, 2, 2, 4]);
    expect(s.apply(rec(5, 40, t(5), [{ version: 2, effectiveFromMs: T0 + MINUTE_MS, thresholds: t(9) }, { version: 4, effectiveFromMs: T0 + 30 * MINUTE_MS, thresholds: t(4) }]))).toEqual({ outcome: 'applied', added: [5] });
    expect(s.at(T0).levels.elevated).toBe(2);
  });

  it('ignores a record not newer than the latest version (republished, or late behind a newer one)', () => {
    const s = new ThresholdsSchedule(DEFAULTS);
    s.apply(rec(2, 5, t(2), [{ version: 1, effectiveFromMs: T0, thresholds: t(1) }]));
    expect(s.apply(rec(1, 0, t(7)))).toEqual({ outcome: 'superseded', added: [] });
    expect(s.apply(rec(2, 5, t(2)))).toEqual({ outcome: 'superseded', added: [] });
    expect([versionAt(s, 0), s.at(T0).levels.elevated, s.latestVersion]).toEqual([1, 1, 2]);
  });
});

async function run(schedule?: ThresholdsSchedule): Promise<ScoredMinute[]> {
  const weather = new InMemoryWeatherTable();
  weather.upsert(scenarioRain);
  const p = new RiskPipeline({ network: scenarioNetwork, spec: scenarioSpec, assembler: scenarioAssembler, weather, model: scenarioModel(), scores: scenarioScores, alerts: scenarioAlerts, thresholds: schedule });
  const out: ScoredMinute[] = [];
  for (const minute of [...scenarioInput(9).flatMap((r) => p.add(r, 0).emitted), ...p.flush()]) out.push(await p.score(minute));
  return out;
}

const levelsOf = (out: readonly ScoredMinute[], segmentId: string) => out.filter((m) => m.scores.some((s) => s.segmentId === segmentId)).map((m) => m.scores.find((s) => s.segmentId === segmentId)?.level);
const alertsOf = (out: readonly ScoredMinute[]) => out.flatMap((m) => m.alerts.map((a) => `${a.segmentId} ${a.type} ${(a.windowEndMs - T0) / MINUTE_MS}`)).sort();
const versionsOf = (out: readonly ScoredMinute[]) => [...new Map(out.map((m) => [(m.minute.windowEndMs - T0) / MINUTE_MS, m.thresholdsVersion])).entries()].sort((a, b) => a[0] - b[0]);

describe('RiskPipeline with a thresholds change from minute 6', () => {
  const schedule = () => {
    const s = new ThresholdsSchedule({ levelBasis: 'relativeRisk', levels: scoresConfig(scenarioScores).levels, alerts: alertConfig(scenarioAlerts) });
    s.apply(V1_RECORD);
    return s;
  };

  it('scores and alerts exactly as before it up to minute 5 and with it from minute 6 on', async () => {
    const [without, withChange] = [await run(), await run(schedule())];
    expect(levelsOf(without, 'S6')).toEqual(['low', 'low', 'high', 'high', 'high', 'high', 'high', 'low', 'low']);
    expect(levelsOf(withChange, 'S6')).toEqual(['low', 'low', 'high', 'high', 'high', 'elevated', 'elevated', 'low', 'low']);
    expect(alertsOf(without)).toEqual(['S3 raised 3', 'S3 resolved 6', 'S6 raised 4', 'S6 resolved 9']);
    // S6 resolves after one clear minute under version 1: minute 8, not 9.
    expect(alertsOf(withChange)).toEqual(['S3 raised 3', 'S3 resolved 6', 'S6 raised 4', 'S6 resolved 8']);
    expect(versionsOf(withChange)).toEqual([[1, 0], [2, 0], [3, 0], [4, 0], [5, 0], [6, 1], [7, 1], [8, 1], [9, 1]]);
    // Minutes before the change are the same, score for score.
    const before = (out: ScoredMinute[]) => out.filter((m) => m.minute.windowEndMs < V1_RECORD.effectiveFromMs).map((m) => ({ scores: m.scores.map((s) => ({ ...s, features: [...s.features] })), alerts: m.alerts }));
    expect(before(withChange)).toEqual(before(without));
  });

  it('gives the same scores and alerts when the same stats and record are replayed', async () => {
    const strip = (out: ScoredMinute[]) => out.map((m) => ({ scores: m.scores.map((s) => ({ ...s, features: [...s.features] })), alerts: m.alerts, version: m.thresholdsVersion }));
    expect(strip(await run(schedule()))).toEqual(strip(await run(schedule())));
  });
});

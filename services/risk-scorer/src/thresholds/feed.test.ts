import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InProcessBus, type BusRecord } from '@saferoads/shared/bus';
import { riskAlertValidator, riskScoreValidator, type RiskThresholds, type TrafficStats } from '@saferoads/shared/contracts';
import { createLogger } from '@saferoads/shared/logger';
import { perTest, readTopic } from '@saferoads/shared/testing';
import { TOPICS } from '@saferoads/shared/topics';
import { startRiskRunner, type RiskRunner } from '../bus-runner.js';
import { alertConfig } from '../alerts/config.js';
import { DEFAULT_RISK_TOPICS, riskTopicSpecs } from '../bus/topics.js';
import { scoresConfig } from '../scores/config.js';
import { MINUTE_MS, T0 } from '../testing/index.js';
import {
  byEventId,
  byScoreKey,
  scenarioAlerts,
  scenarioAssembler,
  scenarioInput,
  scenarioModel,
  scenarioNetwork,
  scenarioOffline,
  scenarioRain,
  scenarioScores,
  scenarioSpec,
  scenarioThresholdsRecord,
} from '../testing/scenario.js';
import { startThresholdsFeed, type ThresholdsFeed } from './feed.js';
import { ThresholdsSchedule } from './schedule.js';

const silent = createLogger('test', { destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const DEFAULTS: RiskThresholds = { levelBasis: 'relativeRisk', levels: scoresConfig(scenarioScores).levels, alerts: alertConfig(scenarioAlerts) };
/** JSON.parse's own words for `text` (they differ between Node versions). */
function syntaxError(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`${text} is JSON`);
}
const thresholdsRecord = (value: unknown): BusRecord => ({ key: 'global', value: typeof value === 'string' ? value : JSON.stringify(value) });

async function busWith(thresholds: readonly BusRecord[]): Promise<InProcessBus> {
  const bus = new InProcessBus({ maxBatch: 7 });
  await bus.ensureTopics([{ name: TOPICS.stats, partitions: 4 }, { name: TOPICS.weather, partitions: 2, config: { 'cleanup.policy': 'compact' } }, ...riskTopicSpecs(4)]);
  await bus.producer().send(TOPICS.weather, [{ key: scenarioRain.stationId, value: JSON.stringify(scenarioRain) }]);
  if (thresholds.length > 0) await bus.producer().send(TOPICS.thresholds, thresholds);
  return bus;
}

const feedOn = perTest(
  async (bus: InProcessBus) => {
    const schedule = new ThresholdsSchedule(DEFAULTS);
    const feed = startThresholdsFeed({ bus, topic: TOPICS.thresholds, dlqTopic: TOPICS.thresholdsDlq, log: silent, schedule, restartBackoff: { initialDelayMs: 1, maxDelayMs: 5 } });
    await feed.caughtUp;
    return { schedule, feed };
  },
  (s: { feed: ThresholdsFeed }) => s.feed.stop(),
);

describe('the thresholds feed on the in-process bus', () => {
  it('applies valid records, ignores superseded ones, and dead-letters the rest with the reason, keyed by their position', async () => {
    const v2 = { ...scenarioThresholdsRecord, version: 2, earlier: [{ version: 1, effectiveFromMs: T0, thresholds: DEFAULTS }] };
    const badCut = { ...scenarioThresholdsRecord, version: 3, thresholds: { ...scenarioThresholdsRecord.thresholds, levels: { elevated: 2, high: 1.9, severe: 3 } } };
    // Compaction keeps only the newest record per key: each of these under its own key, as a stray writer might.
    const records = [
      { ...thresholdsRecord(v2), key: 'a' },
      { ...thresholdsRecord({ ...scenarioThresholdsRecord, note: 'late' }), key: 'b' },
      { ...thresholdsRecord('{"version": 4'), key: 'c' },
      { ...thresholdsRecord(badCut), key: 'd' },
    ];
    const bus = await busWith(records);
    const { schedule, feed } = await feedOn(bus);
    expect(feed.counters()).toEqual({ applied: 1, superseded: 1, invalid: 2, restarts: 0 });
    expect([schedule.latestVersion, schedule.versions(), schedule.at(T0).levels.high, schedule.at(T0 + 6 * MINUTE_MS).levels.high]).toEqual([2, [1, 2], DEFAULTS.levels.high, 1.9]);
    const dlq = await readTopic(bus, TOPICS.thresholdsDlq);
    expect(dlq.map((r) => [r.key, JSON.parse(r.value)])).toEqual([
      [
        'risk.thresholds/0/2',
        {
          reason: `(record): not valid JSON: ${syntaxError('{"version": 4')}`,
          errors: [{ field: '(record)', reason: `not valid JSON: ${syntaxError('{"version": 4')}` }],
          source: { topic: 'risk.thresholds', partition: 0, offset: 2 },
          raw: '{"version": 4',
        },
      ],
      [
        'risk.thresholds/0/3',
        {
          reason: 'thresholds.levels.high: must be above thresholds.levels.elevated (2), got 1.9',
          errors: [{ field: 'thresholds.levels.high', reason: 'must be above thresholds.levels.elevated (2), got 1.9' }],
          source: { topic: 'risk.thresholds', partition: 0, offset: 3 },
          raw: JSON.stringify(badCut),
        },
      ],
    ]);
    // The refused version 3 changed nothing.
    expect(schedule.at(T0 + 99 * MINUTE_MS).version).toBe(2);
  });

  it('follows records that come after it caught up', async () => {
    const bus = await busWith([]);
    const { schedule } = await feedOn(bus);
    expect(schedule.latestVersion).toBe(0);
    await bus.producer().send(TOPICS.thresholds, [thresholdsRecord(scenarioThresholdsRecord)]);
    for (let i = 0; i < 100 && schedule.latestVersion === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(schedule.latestVersion).toBe(1);
  });
});

async function settle(bus: InProcessBus, runner: RiskRunner): Promise<void> {
  const behind = async () => {
    const statsEnd = await bus.endOffsets(TOPICS.stats);
    const relayEnd = await bus.endOffsets(DEFAULT_RISK_TOPICS.relay);
    const r = runner.relay.positions();
    const s = runner.positions();
    return statsEnd.some((e, p) => e > 0 && (r.get(p) ?? 0) < e) || relayEnd.some((e, p) => e > 0 && (s.get(p) ?? 0) < e);
  };
  while (await behind()) await new Promise((res) => setTimeout(res, 5));
}

/** Stats and thresholds records on a fresh bus, one runner to the end: what it published. */
async function runOn(stats: readonly TrafficStats[], thresholds: readonly BusRecord[]) {
  const bus = await busWith(thresholds);
  await bus.producer().send(TOPICS.stats, stats.map((r) => ({ key: r.segmentId, value: JSON.stringify(r) })));
  const runner = await startRiskRunner({ bus, network: scenarioNetwork, spec: scenarioSpec, model: scenarioModel(), log: silent, assembler: scenarioAssembler, wallClock: () => 0, scores: scenarioScores, alerts: scenarioAlerts });
  await settle(bus, runner);
  await runner.stop({ flush: true });
  const scores = (await readTopic(bus, TOPICS.scores)).map((r) => riskScoreValidator.check(JSON.parse(r.value)));
  const alerts = (await readTopic(bus, TOPICS.alerts)).map((r) => riskAlertValidator.check(JSON.parse(r.value)));
  const dlq = await readTopic(bus, TOPICS.thresholdsDlq);
  await bus.close();
  return {
    scores: scores.map((v) => (v.ok ? v.value : expect.unreachable(JSON.stringify(v.errors)))),
    alerts: alerts.map((v) => (v.ok ? v.value : expect.unreachable(JSON.stringify(v.errors)))),
    dlq: dlq.length,
    counters: runner.thresholdsFeed?.counters(),
    latest: runner.thresholds.latestVersion,
  };
}

describe('the risk runner with a thresholds record', () => {
  const stats = scenarioInput(9);

  it('publishes what the pure pipeline computes with the same thresholds: the change applies from minute 6 exactly', async () => {
    const got = await runOn(stats, [thresholdsRecord(scenarioThresholdsRecord)]);
    const schedule = new ThresholdsSchedule(DEFAULTS);
    schedule.apply(scenarioThresholdsRecord);
    const want = await scenarioOffline(stats, scenarioModel(), schedule);
    expect(byScoreKey(got.scores)).toEqual(byScoreKey(want.scores));
    expect(byEventId(got.alerts)).toEqual(byEventId(want.alerts));
    const s6 = got.scores.filter((s) => s.segmentId === 'S6').sort((a, b) => a.windowEndMs - b.windowEndMs);
    expect(s6.map((s) => s.level)).toEqual(['low', 'low', 'high', 'high', 'high', 'elevated', 'elevated', 'low', 'low']);
    expect(got.alerts.map((a) => `${a.segmentId} ${a.type} ${(a.windowEndMs - T0) / MINUTE_MS}`).sort()).toEqual(['S3 raised 3', 'S3 resolved 6', 'S6 raised 4', 'S6 resolved 8']);
    expect([got.counters, got.latest, got.dlq]).toEqual([{ applied: 1, superseded: 0, invalid: 0, restarts: 0 }, 1, 0]);
  });

  it('publishes the same again when the same stats and thresholds records are replayed on a fresh bus', async () => {
    const records = [thresholdsRecord(scenarioThresholdsRecord)];
    const [a, b] = [await runOn(stats, records), await runOn(stats, records)];
    expect(byScoreKey(b.scores)).toEqual(byScoreKey(a.scores));
    expect(byEventId(b.alerts)).toEqual(byEventId(a.alerts));
  });

  it('keeps the defaults when the only record is refused, and dead-letters it', async () => {
    const refused = { ...scenarioThresholdsRecord, effectiveFromMs: T0 + 6 * MINUTE_MS + 1 };
    const got = await runOn(stats, [thresholdsRecord(refused)]);
    const want = await scenarioOffline(stats);
    expect(byScoreKey(got.scores)).toEqual(byScoreKey(want.scores));
    expect(byEventId(got.alerts)).toEqual(byEventId(want.alerts));
    expect([got.counters, got.latest, got.dlq]).toEqual([{ applied: 0, superseded: 0, invalid: 1, restarts: 0 }, 0, 1]);
  });
});

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InProcessBus } from '@saferoads/shared/bus';
import { riskAlertValidator, riskScoreValidator, type TrafficStats } from '@saferoads/shared/contracts';
import { createLogger } from '@saferoads/shared/logger';
import { readTopic } from '@saferoads/shared/testing';
import { TOPICS } from '@saferoads/shared/topics';
import { startRiskRunner, type RiskRunner } from './bus-runner.js';
import { DEFAULT_RISK_TOPICS, riskTopicSpecs } from './bus/topics.js';
import { FunctionScorer } from './model/function-scorer.js';
import { ModelSlot } from './model/model-slot.js';
import { MINUTE_MS, T0 } from './testing/index.js';
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
  scenarioShadowModel,
  scenarioSpec,
  SCENARIO_SHADOW_VERSION,
} from './testing/scenario.js';

const silent = createLogger('test', { destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const network = scenarioNetwork;
const spec = scenarioSpec;
const assembler = scenarioAssembler;
const rain = scenarioRain;
const scoresConfig = scenarioScores;
const alertsConfig = scenarioAlerts;
const model = scenarioModel;
const input = scenarioInput;
const offline = scenarioOffline;

async function setup(): Promise<InProcessBus> {
  const bus = new InProcessBus({ maxBatch: 7 });
  // The in-process bus drops what every group has read, unless a topic is compacted: compacted
  // weather keeps the newest reading per station for a runner that starts later.
  await bus.ensureTopics([
    { name: TOPICS.stats, partitions: 4 },
    { name: TOPICS.weather, partitions: 2, config: { 'cleanup.policy': 'compact' } },
    ...riskTopicSpecs(4),
  ]);
  await bus.producer().send(TOPICS.weather, [{ key: rain.stationId, value: JSON.stringify(rain) }]);
  return bus;
}
const send = (bus: InProcessBus, records: readonly TrafficStats[]) => bus.producer().send(TOPICS.stats, records.map((r) => ({ key: r.segmentId, value: JSON.stringify(r) })));

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

const start = (bus: InProcessBus, slot: ModelSlot = model(), shadow?: ModelSlot) =>
  startRiskRunner({ bus, network, spec, model: slot, shadow, log: silent, assembler, wallClock: () => 0, scores: scoresConfig, alerts: alertsConfig });

async function published(bus: InProcessBus, scoresTopic: string = TOPICS.scores) {
  const scores = await readTopic(bus, scoresTopic);
  const alerts = await readTopic(bus, TOPICS.alerts);
  return {
    keysMatch: [...scores, ...alerts].every((r) => r.key === (JSON.parse(r.value) as { segmentId: string }).segmentId),
    scores: scores.map((r) => {
      const v = riskScoreValidator.check(JSON.parse(r.value));
      if (!v.ok) throw new Error(JSON.stringify(v.errors));
      return v.value;
    }),
    alerts: alerts.map((r) => {
      const v = riskAlertValidator.check(JSON.parse(r.value));
      if (!v.ok) throw new Error(JSON.stringify(v.errors));
      return v.value;
    }),
  };
}
describe('risk scorer on the in-process bus', () => {
  it('publishes, keyed by segment, the scores and alerts the pure pipeline computes, with the weather from the feed', async () => {
    const bus = await setup();
    const records = input(9);
    await send(bus, records);
    const runner = await start(bus);
    await settle(bus, runner);
    await runner.stop({ flush: true });
    const got = await published(bus);
    const want = await offline(records);

    expect(got.keysMatch).toBe(true);
    expect(got.scores).toHaveLength(8 * 9);
    expect(byScoreKey(got.scores)).toEqual(byScoreKey(want.scores));
    expect(byEventId(got.alerts)).toEqual(byEventId(want.alerts));
    // S3 at 32 km/h in the rain: 1/2 - 32/512 + 2/64 = 15/32; baseline 1/4 (reference speed, dry): 1.875, high.
    // Drops: speed (128 - 32)/512 = 3/16, rain 2/64 = 1/32: shares 6/7 and 1/7.
    const s3 = got.scores.find((s) => s.segmentId === 'S3' && s.windowEndMs === T0 + 2 * MINUTE_MS);
    expect(s3).toMatchObject({ risk: 0.46875, baselineRisk: 0.25, relativeRisk: 1.875, level: 'high', complete: true, missing: [], modelVersion: 'speed-rain-1' });
    expect(s3?.factors).toEqual([
      { name: 'speed', share: 6 / 7 },
      { name: 'precipitation', share: 1 / 7 },
    ]);
    expect(s3?.features?.precipitationMmH).toBe(2);
    expect(got.alerts.map((a) => `${a.segmentId} ${a.type} ${(a.windowEndMs - T0) / MINUTE_MS}`).sort()).toEqual([
      'S3 raised 3',
      'S3 resolved 6',
      'S6 raised 4',
      'S6 resolved 9',
    ]);
    expect(runner.counters).toMatchObject({ minutes: 4 * 9, scores: 72, alerts: 4, invalid: 0, scoreFailures: 0 });
    await bus.close();
  });

  it('a second runner carries on from the first one\'s checkpoints: every score and alert once, as an uninterrupted run gives it', async () => {
    const bus = await setup();
    const records = input(9);
    await send(bus, records.slice(0, 70));
    const first = await start(bus);
    await settle(bus, first);
    await first.stop();
    await send(bus, records.slice(70));
    const second = await start(bus);
    await settle(bus, second);
    await second.stop({ flush: true });
    const got = await published(bus);
    const want = await offline(records);
    expect(got.scores).toHaveLength(want.scores.length);
    expect(byScoreKey(got.scores)).toEqual(byScoreKey(want.scores));
    expect(got.alerts).toHaveLength(want.alerts.length);
    expect(byEventId(got.alerts)).toEqual(byEventId(want.alerts));
    await bus.close();
  });

  it('a missing neighbour is scored with what there is and flagged; records that are not stats are dead-lettered with the reason', async () => {
    const bus = await setup();
    const records = input(1).filter((r) => r.segmentId !== 'S5');
    await send(bus, records);
    await bus.producer().send(TOPICS.stats, [{ key: 'S1', value: '{"segmentId": "S1"' }]);
    const runner = await start(bus);
    await settle(bus, runner);
    await runner.stop({ flush: true });
    const got = await published(bus);
    expect(got.scores.map((s) => s.segmentId).sort()).toEqual(['S0', 'S1', 'S2', 'S3', 'S4', 'S6', 'S7']);
    expect(got.scores.find((s) => s.segmentId === 'S4')).toMatchObject({
      complete: false,
      missing: [
        { side: 'downstream', segmentId: 'S5', window: '1m' },
        { side: 'downstream', segmentId: 'S5', window: '10m' },
      ],
    });
    expect(got.scores.find((s) => s.segmentId === 'S6')?.missing.map((m) => m.side)).toEqual(['upstream', 'upstream']);
    const dlq = await readTopic(bus, DEFAULT_RISK_TOPICS.statsDlq);
    expect(dlq.map((r) => (JSON.parse(r.value) as { reason: string }).reason)).toEqual([expect.stringMatching(/^\(record\): not valid JSON: /)]);
    expect(runner.relay.counters.invalid).toBe(1);
    await bus.close();
  });

  it('a shadow model scores the same minutes onto risk.scores.shadow, keyed by segment, as it alone would; live scores and alerts are unchanged', async () => {
    const bus = await setup();
    const records = input(9);
    await send(bus, records);
    const runner = await start(bus, model(), scenarioShadowModel());
    await settle(bus, runner);
    await runner.stop({ flush: true });
    const live = await published(bus);
    const shadow = await published(bus, TOPICS.scoresShadow);
    const want = await offline(records);
    const wantShadow = await offline(records, scenarioShadowModel());

    expect(byScoreKey(live.scores)).toEqual(byScoreKey(want.scores));
    expect(byEventId(live.alerts)).toEqual(byEventId(want.alerts));
    expect(shadow.keysMatch).toBe(true);
    expect(shadow.scores).toHaveLength(72);
    expect(byScoreKey(shadow.scores)).toEqual(byScoreKey(wantShadow.scores));
    // S3 slow in the rain: 1/2 - 32/1024 + 2/32; baseline 1/2 - 128/1024.
    expect(shadow.scores.find((s) => s.segmentId === 'S3' && s.windowEndMs === T0 + 2 * MINUTE_MS)).toMatchObject({
      risk: 0.53125,
      baselineRisk: 0.375,
      modelVersion: SCENARIO_SHADOW_VERSION,
    });
    expect(runner.counters).toMatchObject({ scores: 72, shadowScores: 72, shadowFailures: 0, alerts: 4 });
    await bus.close();
  });

  it('with a shadow model, a second runner carrying on from checkpoints publishes every shadow score once', async () => {
    const bus = await setup();
    const records = input(9);
    await send(bus, records.slice(0, 70));
    const first = await start(bus, model(), scenarioShadowModel());
    await settle(bus, first);
    await first.stop();
    await send(bus, records.slice(70));
    const second = await start(bus, model(), scenarioShadowModel());
    await settle(bus, second);
    await second.stop({ flush: true });
    const shadow = await published(bus, TOPICS.scoresShadow);
    const wantShadow = await offline(records, scenarioShadowModel());
    expect(shadow.scores).toHaveLength(wantShadow.scores.length);
    expect(byScoreKey(shadow.scores)).toEqual(byScoreKey(wantShadow.scores));
    expect(byScoreKey((await published(bus)).scores)).toEqual(byScoreKey((await offline(records)).scores));
    await bus.close();
  });

  it('a shadow model that fails leaves the live scores and alerts as they are, and is counted', async () => {
    const bus = await setup();
    const records = input(9);
    await send(bus, records);
    const broken = new ModelSlot(new FunctionScorer('broken-1', spec.features.length, Float32Array.from(spec.features, (f) => f.default), () => Number.NaN));
    const runner = await start(bus, model(), broken);
    await settle(bus, runner);
    await runner.stop({ flush: true });
    const live = await published(bus);
    const want = await offline(records);
    expect(byScoreKey(live.scores)).toEqual(byScoreKey(want.scores));
    expect(byEventId(live.alerts)).toEqual(byEventId(want.alerts));
    expect(await readTopic(bus, TOPICS.scoresShadow)).toEqual([]);
    expect(runner.counters).toMatchObject({ scores: 72, shadowScores: 0, shadowFailures: 36, join: { joined: 342, late: 0, duplicate: 0, unknownSegment: 0, unneeded: 0 } });
    // Every copy the relay made (144 records, each to its own partition and its neighbours') was joined once.
    expect(runner.relay.counters).toMatchObject({ records: 144, copies: 342 });
    await bus.close();
  });
});

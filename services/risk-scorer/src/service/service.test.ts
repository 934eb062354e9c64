import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryWeatherTable } from '@saferoads/context';
import { InProcessBus, type BusConsumer, type ConsumedRecord } from '@saferoads/shared/bus';
import type { RiskScore, TrafficStats } from '@saferoads/shared/contracts';
import { createLogger } from '@saferoads/shared/logger';
import { metricValue, readTopic } from '@saferoads/shared/testing';
import { TOPICS } from '@saferoads/shared/topics';
import { riskTopicSpecs, riskTopicsFrom } from '../bus/topics.js';
import { toRiskScore } from '../bus/encode.js';
import { ModelSlot } from '../model/model-slot.js';
import { loadOnnxModel } from '../model/onnx-scorer.js';
import { RiskPipeline } from '../pipeline.js';
import { FACTOR_GROUPS } from '../scores/groups.js';
import { scenarioAssembler, scenarioInput, scenarioNetwork, scenarioRain, scenarioSpec, scenarioThresholdsRecord } from '../testing/scenario.js';
import { riskScorerServiceConfig } from './config.js';
import { RiskScorerService } from './service.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const lines: string[] = [];
const log = createLogger('test', {
  destination: new Writable({
    write: (c: Buffer, _e, cb) => {
      lines.push(c.toString());
      cb();
    },
  }),
});
const topics = riskTopicsFrom(TOPICS);
const names = scenarioSpec.features.map((f) => f.name);

const until = async (cond: () => boolean | Promise<boolean>, what: string, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** Model files in a directory of their own, replaced as an operator would. */
function modelDir(): { dir: string; put: (fixture: string, edit?: (meta: Record<string, unknown>) => void) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'risk-service-'));
  const put = (fixture: string, edit?: (meta: Record<string, unknown>) => void) => {
    copyFileSync(join(FIXTURES, `${fixture}.onnx`), join(dir, 'model.onnx'));
    const meta = JSON.parse(readFileSync(join(FIXTURES, `${fixture}.json`), 'utf8')) as Record<string, unknown>;
    edit?.(meta);
    writeFileSync(join(dir, 'model.json'), JSON.stringify(meta));
  };
  return { dir, put };
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(env: Record<string, string>) {
  const bus = new InProcessBus({ maxBatch: 7 });
  await bus.ensureTopics([{ name: TOPICS.stats, partitions: 4 }, { name: TOPICS.weather, partitions: 2, config: { 'cleanup.policy': 'compact' } }, ...riskTopicSpecs(4, topics)]);
  await bus.producer().send(TOPICS.weather, [{ key: scenarioRain.stationId, value: JSON.stringify(scenarioRain) }]);
  const out = { scores: [] as ConsumedRecord[], shadow: [] as ConsumedRecord[] };
  const readers: BusConsumer[] = [];
  for (const [topic, into] of [
    [TOPICS.scores, out.scores],
    [TOPICS.scoresShadow, out.shadow],
  ] as const) {
    const c = bus.consumer({ groupId: `reader-${topic}`, topics: [topic], fromBeginning: true });
    readers.push(c);
    void c.run(async (b) => void into.push(...b.records));
  }
  const config = riskScorerServiceConfig({ RISK_MODEL_WATCH_INTERVAL_MS: '0', RISK_LEVEL_ELEVATED: '1.1', RISK_LEVEL_HIGH: '1.3', RISK_LEVEL_SEVERE: '2', ...env });
  const service = new RiskScorerService({ bus, network: scenarioNetwork, config, topics, log, wallClock: () => 0 });
  const app = await service.ready();
  cleanup.push(async () => {
    await service.stop();
    for (const c of readers) await c.stop();
    await bus.close();
  });
  const send = (records: readonly TrafficStats[]) => bus.producer().send(TOPICS.stats, records.map((r) => ({ key: r.segmentId, value: JSON.stringify(r) })));
  return { bus, service, app, out, send, config };
}

/** What one RiskPipeline over the same records gives, the model swapped where the service's was (through JSON, as published). */
async function offline(records: readonly TrafficStats[], models: readonly { fromMinuteEndMs: number; fixture: string }[], config: ReturnType<typeof riskScorerServiceConfig>) {
  const table = new InMemoryWeatherTable();
  table.upsert(scenarioRain);
  const load = (f: string) => loadOnnxModel({ modelPath: join(FIXTURES, `${f}.onnx`) }, scenarioSpec);
  const slot = new ModelSlot(await load(models[0].fixture));
  const levels = { elevated: config.levelElevated, high: config.levelHigh, severe: config.levelSevere };
  const p = new RiskPipeline({ network: scenarioNetwork, spec: scenarioSpec, assembler: scenarioAssembler, weather: table, model: slot, scores: { levels } });
  const scores: RiskScore[] = [];
  for (const minute of records.flatMap((r) => p.add(r, 0).emitted)) {
    const m = models.findLast((x) => x.fromMinuteEndMs <= minute.windowEndMs);
    if (m && slot.current.version !== JSON.parse(readFileSync(join(FIXTURES, `${m.fixture}.json`), 'utf8')).modelVersion) await slot.swap(() => load(m.fixture));
    scores.push(...(await p.score(minute)).scores.map((s) => JSON.parse(JSON.stringify(toRiskScore(s, names))) as RiskScore));
  }
  await slot.close();
  return scores;
}

const parse = (rs: readonly ConsumedRecord[]) => rs.map((r) => JSON.parse(r.value) as RiskScore);
const byKey = (xs: readonly RiskScore[]) => new Map(xs.map((s) => [`${s.segmentId}@${s.windowEndMs}`, s]));

describe('the risk-scorer service on the in-process bus', () => {
  it('is not ready before its start, ready once the model is loaded, the weather caught up and partitions assigned', async () => {
    const { dir, put } = modelDir();
    put('tiny-logistic');
    const { service, app } = await setup({ RISK_MODEL_PATH: join(dir, 'model.onnx') });
    const before = await app.inject({ method: 'GET', url: '/readyz' });
    expect(before.statusCode).toBe(503);
    expect(before.json()).toMatchObject({
      details: [
        { check: 'model', reason: 'no model loaded yet' },
        { check: 'weather', reason: 'the weather table is catching up with weather.observations' },
        { check: 'thresholds', reason: 'the thresholds table is catching up with risk.thresholds' },
        { check: 'consumer', reason: 'the scorer has not joined its consumer group yet' },
      ],
    });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await service.start();
    await until(async () => (await app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200, 'ready');
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready', checks: { bus: 'ok', model: 'ok', weather: 'ok', thresholds: 'ok', consumer: 'ok' } });
    expect(await metricValue(app, 'saferoads_risk_scorer_model_info', { slot: 'live', version: 'tiny-logistic-1' })).toBe(1);
  });

  it('a refused model at start fails the start with every problem', async () => {
    const { dir, put } = modelDir();
    put('tiny-narrow');
    const { service } = await setup({ RISK_MODEL_PATH: join(dir, 'model.onnx') });
    await expect(service.start()).rejects.toThrow(
      /^model \/.*\/model\.onnx refused: input\.shape: the model takes 88 features, the spec has 89; features: the model lists 88 features, the spec has 89; testVectors\.inputs\[0\]: 88 values, the spec has 89 features$/,
    );
  });

  it('swaps in a new model file without a restart, refuses a bad one (the running one keeps scoring), and scores as the pure pipeline with the same swaps', async () => {
    const { dir, put } = modelDir();
    put('tiny-logistic');
    const { service, app, out, send, config } = await setup({ RISK_MODEL_PATH: join(dir, 'model.onnx') });
    await service.start();
    const records = scenarioInput(8);
    const minute = (m: number) => records.filter((r) => r.windowEndMs === records[0].windowEndMs + (m - 1) * 60_000);
    const upTo = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => minute(from + i)).flat();

    await send(upTo(1, 3));
    // A minute leaves the join as soon as it is complete.
    await until(() => out.scores.length === 24, 'minutes 1 to 3 scored');
    put('tiny-logistic-v2');
    expect(await service.reload()).toEqual([{ outcome: 'accepted', slot: 'live', from: 'tiny-logistic-1', to: 'tiny-logistic-2' }]);
    await send(upTo(4, 5));
    await until(() => out.scores.length === 40, 'minutes 4 and 5 scored');

    // A model whose metadata does not match its file, and a test vector off: refused, both problems named.
    put('tiny-logistic', (meta) => {
      (meta.testVectors as { expected: number[] }).expected[0] = 0.9;
      (meta.model as { sha256: string }).sha256 = '0'.repeat(64);
    });
    const [refused] = await service.reload();
    expect(refused).toMatchObject({ outcome: 'refused', slot: 'live', kept: 'tiny-logistic-2' });
    expect(refused?.outcome === 'refused' && refused.problems).toEqual([expect.stringMatching(/^model\.sha256: the file's is [0-9a-f]{12}, the metadata's 000000000000/)]);
    expect(lines.some((l) => l.includes('new model refused, tiny-logistic-2 keeps scoring: model.sha256'))).toBe(true);
    // The same files again: not tried twice.
    expect(await service.reload()).toEqual([null]);
    await send(upTo(6, 8));
    await until(() => out.scores.length === 64, 'minutes 6 to 8 scored');

    const got = parse(out.scores);
    const versionOf = (m: number) => new Set(got.filter((s) => s.windowEndMs === records[0].windowEndMs + (m - 1) * 60_000).map((s) => s.modelVersion));
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((m) => [...versionOf(m)])).toEqual([...Array(3).fill(['tiny-logistic-1']), ...Array(5).fill(['tiny-logistic-2'])]);
    const want = await offline(
      records,
      [
        { fromMinuteEndMs: 0, fixture: 'tiny-logistic' },
        { fromMinuteEndMs: records[0].windowEndMs + 3 * 60_000, fixture: 'tiny-logistic-v2' },
      ],
      config,
    );
    expect(want).toHaveLength(64);
    expect(byKey(got)).toEqual(byKey(want));
    expect(await metricValue(app, 'saferoads_risk_scorer_model_reloads_total', { slot: 'live', outcome: 'accepted' })).toBe(1);
    expect(await metricValue(app, 'saferoads_risk_scorer_model_reloads_total', { slot: 'live', outcome: 'refused' })).toBe(1);
    expect(await metricValue(app, 'saferoads_risk_scorer_model_info', { slot: 'live', version: 'tiny-logistic-2' })).toBe(1);
    expect(await metricValue(app, 'saferoads_risk_scorer_model_info', { slot: 'live', version: 'tiny-logistic-1' })).toBeUndefined();
  });

  it('polls the model files: a change is loaded once the files have stayed the same for one more poll', async () => {
    const { dir, put } = modelDir();
    put('tiny-logistic');
    const { service } = await setup({ RISK_MODEL_PATH: join(dir, 'model.onnx'), RISK_MODEL_WATCH_INTERVAL_MS: '50' });
    await service.start();
    put('tiny-logistic-v2');
    await until(() => service.versions().live === 'tiny-logistic-2', 'the polled reload');
  });

  it('counts what it reads and publishes; a shadow model scores beside the live one onto risk.scores.shadow', async () => {
    const { dir, put } = modelDir();
    put('tiny-logistic');
    const { service, app, out, send, bus } = await setup({ RISK_MODEL_PATH: join(FIXTURES, 'tiny-logistic.onnx'), RISK_SHADOW_MODEL_PATH: join(dir, 'model.onnx') });
    await service.start();
    expect(service.versions()).toEqual({ live: 'tiny-logistic-1', shadow: 'tiny-logistic-1' });
    put('tiny-logistic-v2');
    const records = scenarioInput(3);
    await send(records);
    await bus.producer().send(TOPICS.stats, [{ key: 'S1', value: '{"segmentId":"S1"}' }]);
    await until(() => out.scores.length === 24 && out.shadow.length === 24, 'three minutes scored and shadowed');
    // The shadow slot reloads on its own.
    expect(await service.reload()).toEqual([null, { outcome: 'accepted', slot: 'shadow', from: 'tiny-logistic-1', to: 'tiny-logistic-2' }]);
    const live = parse(out.scores);
    expect(parse(out.shadow)).toEqual(live);
    await until(async () => (await metricValue(app, 'saferoads_risk_scorer_stats_records_total', { outcome: 'invalid' })) === 1, 'the metrics synced');
    expect(await metricValue(app, 'saferoads_risk_scorer_stats_records_total', { outcome: 'relayed' })).toBe(48);
    expect(await metricValue(app, 'saferoads_risk_scorer_shadow_scores_total')).toBe(24);
    expect(await metricValue(app, 'saferoads_risk_scorer_missing_records_total')).toBe(0);
    expect(await metricValue(app, 'saferoads_risk_scorer_join_records_total', { outcome: 'late' })).toBe(0);
    const byLevel = await Promise.all(['low', 'elevated', 'high', 'severe'].map((level) => metricValue(app, 'saferoads_risk_scorer_scores_total', { level, complete: 'true' })));
    expect(byLevel.reduce<number>((a, b) => a + (b ?? 0), 0)).toBe(24);
    // Each partition's minutes: one live and one shadow inference each.
    const live_ = await metricValue(app, 'saferoads_risk_scorer_inference_rows_count', { slot: 'live' });
    expect(live_).toBe(await metricValue(app, 'saferoads_risk_scorer_inference_rows_count', { slot: 'shadow' }));
    expect(await metricValue(app, 'saferoads_risk_scorer_inference_rows_sum', { slot: 'live' })).toBe(24 * (FACTOR_GROUPS.length + 2));
    // From the next minute the shadow scores with its new model; the live scores are the live model's.
    await send(scenarioInput(4).slice(48));
    await until(() => out.scores.length === 32 && out.shadow.length === 32, 'minute 4 scored and shadowed');
    expect(new Set(parse(out.shadow.slice(24)).map((x) => x.modelVersion))).toEqual(new Set(['tiny-logistic-2']));
    expect(new Set(parse(out.scores).map((x) => x.modelVersion))).toEqual(new Set(['tiny-logistic-1']));
  });

  it('applies the thresholds of risk.thresholds and shows the version in force and the newest one in its metrics', async () => {
    const { service, app, out, send, bus } = await setup({ RISK_MODEL_PATH: join(FIXTURES, 'tiny-logistic.onnx') });
    await bus.producer().send(TOPICS.thresholds, [
      { key: 'global', value: JSON.stringify(scenarioThresholdsRecord) },
      { key: 'stray', value: JSON.stringify({ ...scenarioThresholdsRecord, version: 2, note: '' }) },
    ]);
    await service.start();
    await send(scenarioInput(5));
    await until(() => out.scores.length === 5 * 8, 'minutes 1-5 scored');
    await until(async () => (await metricValue(app, 'saferoads_risk_scorer_thresholds_latest_version')) === 1, 'the metrics synced');
    expect(await metricValue(app, 'saferoads_risk_scorer_thresholds_version')).toBe(0);
    expect(await metricValue(app, 'saferoads_risk_scorer_thresholds_records_total', { outcome: 'applied' })).toBe(1);
    expect(await metricValue(app, 'saferoads_risk_scorer_thresholds_records_total', { outcome: 'invalid' })).toBe(1);
    expect((await readTopic(bus, TOPICS.thresholdsDlq)).map((r) => JSON.parse(r.value).reason)).toEqual(['note: must NOT have fewer than 1 characters']);
    // Minute 6 is the first the version applies to (until then the newest minute published had the defaults).
    await send(scenarioInput(7).slice(5 * 16));
    await until(() => out.scores.length === 7 * 8, 'minutes 6 and 7 scored');
    await until(async () => (await metricValue(app, 'saferoads_risk_scorer_thresholds_version')) === 1, 'the version of minute 6');
  });
});

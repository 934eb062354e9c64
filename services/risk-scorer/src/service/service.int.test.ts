/**
 * The risk-scorer service as its own process (npm run start:risk-scorer) against the real broker:
 * traffic.stats and a weather reading in, exactly the pure pipeline's scores out on risk.scores
 * (and the shadow model's on risk.scores.shadow), /readyz and /metrics, a refused record
 * dead-lettered, and a clean stop on SIGTERM. Topics are fresh per test (SAFEROADS_TOPIC_*).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryWeatherTable } from '@saferoads/context';
import type { ConsumedRecord, KafkaBus } from '@saferoads/shared/bus';
import { freshName, intBrokers, intClientsPerTest, waitFor } from '@saferoads/shared/bus/testing';
import type { RiskScore, TrafficStats } from '@saferoads/shared/contracts';
import { metricValue } from '@saferoads/shared/testing';
import { loadNetwork } from '@saferoads/shared/network';
import type { DeadLetter } from '@saferoads/shared/topics';
import { toRiskScore } from '../bus/encode.js';
import { ModelSlot } from '../model/model-slot.js';
import { loadOnnxModel } from '../model/onnx-scorer.js';
import { RiskPipeline } from '../pipeline.js';
import { chainSegments, testNetworkGeoJson } from '../testing/network.js';
import { stats } from '../testing/stats.js';
import { scenarioAssembler, scenarioIds, scenarioInput, scenarioNetwork, scenarioRain, scenarioSpec } from '../testing/scenario.js';

const MAIN = join(import.meta.dirname, '..', 'main.ts');
const ARTIFACTS = join(import.meta.dirname, '../../../../artifacts');
const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const LEVELS = { elevated: 1.1, high: 1.3, severe: 2 };
const clients = intClientsPerTest();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

interface Service {
  readonly url: string;
  readonly child: ChildProcess;
  readonly exit: Promise<number | null>;
  readonly logPath: string;
}
const running: Service[] = [];
afterEach(() => {
  for (const s of running.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
});

async function startService(env: Record<string, string>): Promise<Service> {
  const port = await freePort();
  mkdirSync(ARTIFACTS, { recursive: true });
  const logPath = join(ARTIFACTS, `risk-scorer-int-${port}.log`);
  const log = createWriteStream(logPath, { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, KAFKA_BROKERS: intBrokers().join(','), KAFKA_ALLOW_TOPIC_CREATION: 'true', KAFKA_TOPIC_PARTITIONS: '3', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const s = { url: `http://127.0.0.1:${port}`, child, exit, logPath };
  running.push(s);
  return s;
}

const metric = (s: Service, name: string, labels: Record<string, string> = {}) =>
  metricValue({ inject: async () => ({ body: await (await fetch(`${s.url}/metrics`)).text() }) }, name, labels);

function collect(bus: KafkaBus, topic: string): ConsumedRecord[] {
  const got: ConsumedRecord[] = [];
  const c = clients.consumer(bus.consumer({ groupId: freshName('reader'), topics: [topic], fromBeginning: true }));
  void c.run(async (b) => void got.push(...b.records));
  return got;
}

/** One RiskPipeline over the same records with the same model and weather: the answer the service must publish. */
async function pure(records: readonly TrafficStats[], fixture: string): Promise<Map<string, RiskScore>> {
  const table = new InMemoryWeatherTable();
  table.upsert(scenarioRain);
  const slot = new ModelSlot(await loadOnnxModel({ modelPath: join(FIXTURES, `${fixture}.onnx`) }, scenarioSpec));
  const p = new RiskPipeline({ network: scenarioNetwork, spec: scenarioSpec, assembler: scenarioAssembler, weather: table, model: slot, scores: { levels: LEVELS } });
  const names = scenarioSpec.features.map((f) => f.name);
  const out = new Map<string, RiskScore>();
  for (const minute of [...records.flatMap((r) => p.add(r, 0).emitted), ...p.flush()]) {
    for (const s of (await p.score(minute)).scores) out.set(`${s.segmentId}@${s.windowEndMs}`, JSON.parse(JSON.stringify(toRiskScore(s, names))) as RiskScore);
  }
  await slot.close();
  return out;
}

const byKey = (rs: readonly ConsumedRecord[]) =>
  new Map(
    rs.map((r) => {
      const s = JSON.parse(r.value) as RiskScore;
      return [`${s.segmentId}@${s.windowEndMs}`, s];
    }),
  );

describe('risk-scorer as a process on Kafka', () => {
  it('publishes exactly the pure pipeline\'s scores (and the shadow model\'s beside them), reports ready and its metrics, takes a new model on SIGHUP, and stops on SIGTERM with exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'risk-int-'));
    const networkFile = join(dir, 'network.geojson');
    writeFileSync(networkFile, JSON.stringify(testNetworkGeoJson(chainSegments(scenarioIds))));
    const topics = {
      SAFEROADS_TOPIC_STATS: freshName('stats'),
      SAFEROADS_TOPIC_STATS_DLQ: freshName('stats-dlq'),
      SAFEROADS_TOPIC_WEATHER: freshName('weather'),
      SAFEROADS_TOPIC_RISK_RELAY: freshName('relay'),
      SAFEROADS_TOPIC_RISK_CHECKPOINTS: freshName('ckpt'),
      SAFEROADS_TOPIC_SCORES: freshName('scores'),
      SAFEROADS_TOPIC_SCORES_SHADOW: freshName('shadow'),
      SAFEROADS_TOPIC_ALERTS: freshName('alerts'),
      SAFEROADS_TOPIC_THRESHOLDS: freshName('thresholds'),
      SAFEROADS_TOPIC_THRESHOLDS_DLQ: freshName('thresholds-dlq'),
    };
    const put = (fixture: string) => {
      copyFileSync(join(FIXTURES, `${fixture}.onnx`), join(dir, 'live.onnx'));
      copyFileSync(join(FIXTURES, `${fixture}.json`), join(dir, 'live.json'));
    };
    put('tiny-logistic');
    const bus = clients.bus({ retries: 10 });
    await bus.ensureTopics([
      { name: topics.SAFEROADS_TOPIC_STATS, partitions: 3 },
      { name: topics.SAFEROADS_TOPIC_WEATHER, partitions: 2 },
    ]);
    await bus.producer().send(topics.SAFEROADS_TOPIC_WEATHER, [{ key: scenarioRain.stationId, value: JSON.stringify(scenarioRain), timestamp: scenarioRain.ts }]);

    const s = await startService({
      ...topics,
      NETWORK_FILE: networkFile,
      RISK_MODEL_PATH: join(dir, 'live.onnx'),
      RISK_MODEL_WATCH_INTERVAL_MS: '0',
      RISK_SHADOW_MODEL_PATH: join(FIXTURES, 'tiny-logistic-v2.onnx'),
      RISK_GROUP_ID: freshName('risk-group'),
      RISK_LEVEL_ELEVATED: String(LEVELS.elevated),
      RISK_LEVEL_HIGH: String(LEVELS.high),
      RISK_LEVEL_SEVERE: String(LEVELS.severe),
      // Every minute here is complete: none may leave by the clock on a slow machine.
      RISK_JOIN_MAX_WAIT_MS: '600000',
      RISK_LAG_INTERVAL_MS: '1000',
    });
    await waitFor(async () => (await fetch(`${s.url}/readyz`).catch(() => null))?.status === 200, 50_000, 'risk-scorer to be ready', s.exit.then(() => Promise.reject(new Error(`the service exited; see ${s.logPath}`))));
    expect(await (await fetch(`${s.url}/readyz`)).json()).toEqual({ status: 'ready', checks: { bus: 'ok', model: 'ok', weather: 'ok', thresholds: 'ok', consumer: 'ok' } });

    const scores = collect(bus, topics.SAFEROADS_TOPIC_SCORES);
    const shadow = collect(bus, topics.SAFEROADS_TOPIC_SCORES_SHADOW);
    const dlq = collect(bus, topics.SAFEROADS_TOPIC_STATS_DLQ);
    const records = scenarioInput(6);
    await bus.producer().send(topics.SAFEROADS_TOPIC_STATS, [
      ...records.map((r) => ({ key: r.segmentId, value: JSON.stringify(r), timestamp: r.windowEndMs })),
      { key: 'S1', value: '{"segmentId": "S1"' },
    ]);
    await waitFor(() => scores.length >= 48 && shadow.length >= 48 && dlq.length >= 1, 60_000, `48 scores, 48 shadow scores, 1 dead letter (have ${scores.length}, ${shadow.length}, ${dlq.length})`);

    expect(scores.every((r) => r.key === (JSON.parse(r.value) as RiskScore).segmentId)).toBe(true);
    expect(scores).toHaveLength(48);
    expect(byKey(scores)).toEqual(await pure(records, 'tiny-logistic'));
    expect(shadow.every((r) => r.key === (JSON.parse(r.value) as RiskScore).segmentId)).toBe(true);
    expect(byKey(shadow)).toEqual(await pure(records, 'tiny-logistic-v2'));
    expect((JSON.parse(dlq[0].value) as DeadLetter).reason).toMatch(/^\(record\): not valid JSON: /);

    await waitFor(async () => (await metric(s, 'saferoads_risk_scorer_stats_records_total', { outcome: 'relayed' })) === 96, 10_000, 'the metrics to catch up');
    expect(await metric(s, 'saferoads_risk_scorer_stats_records_total', { outcome: 'invalid' })).toBe(1);
    expect(await metric(s, 'saferoads_risk_scorer_shadow_scores_total')).toBe(48);
    expect(await metric(s, 'saferoads_risk_scorer_minutes_total', { reason: 'complete' })).toBeGreaterThanOrEqual(6);
    expect(await metric(s, 'saferoads_risk_scorer_model_info', { slot: 'live', version: 'tiny-logistic-1' })).toBe(1);
    expect(await metric(s, 'saferoads_risk_scorer_model_info', { slot: 'shadow', version: 'tiny-logistic-2' })).toBe(1);
    expect(await metric(s, 'saferoads_risk_scorer_inference_seconds_count', { slot: 'live' })).toBeGreaterThan(0);
    await waitFor(async () => (await metric(s, 'saferoads_risk_scorer_consumer_lag', { topic: topics.SAFEROADS_TOPIC_STATS, partition: '0' })) !== undefined, 10_000, 'consumer lag');

    // A new model without a restart: the files replaced, then SIGHUP.
    put('tiny-logistic-v2');
    s.child.kill('SIGHUP');
    await waitFor(async () => (await metric(s, 'saferoads_risk_scorer_model_reloads_total', { slot: 'live', outcome: 'accepted' })) === 1, 20_000, 'the reload');
    expect(await metric(s, 'saferoads_risk_scorer_model_info', { slot: 'live', version: 'tiny-logistic-2' })).toBe(1);
    const later = scenarioInput(8).slice(records.length);
    await bus.producer().send(topics.SAFEROADS_TOPIC_STATS, later.map((r) => ({ key: r.segmentId, value: JSON.stringify(r), timestamp: r.windowEndMs })));
    await waitFor(() => scores.length >= 64, 60_000, `64 scores (have ${scores.length})`);
    const after = [...byKey(scores.slice(48)).values()];
    expect(new Set(after.map((x) => x.modelVersion))).toEqual(new Set(['tiny-logistic-2']));
    expect(new Set(after.map((x) => x.windowEndMs))).toEqual(new Set(later.map((r) => r.windowEndMs)));

    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
    const log = readFileSync(s.logPath, 'utf8');
    expect(log).toContain('"msg":"stopped"');
  });

  it('starts with its defaults (the committed risk-v1 model and the bundled network), scores a minute of it, and stops on SIGTERM', async () => {
    const topics = {
      SAFEROADS_TOPIC_STATS: freshName('stats'),
      SAFEROADS_TOPIC_STATS_DLQ: freshName('stats-dlq'),
      SAFEROADS_TOPIC_WEATHER: freshName('weather'),
      SAFEROADS_TOPIC_RISK_RELAY: freshName('relay'),
      SAFEROADS_TOPIC_RISK_CHECKPOINTS: freshName('ckpt'),
      SAFEROADS_TOPIC_SCORES: freshName('scores'),
      SAFEROADS_TOPIC_SCORES_SHADOW: freshName('shadow'),
      SAFEROADS_TOPIC_ALERTS: freshName('alerts'),
      SAFEROADS_TOPIC_THRESHOLDS: freshName('thresholds'),
      SAFEROADS_TOPIC_THRESHOLDS_DLQ: freshName('thresholds-dlq'),
    };
    const s = await startService({ ...topics, RISK_GROUP_ID: freshName('risk-group') });
    await waitFor(async () => (await fetch(`${s.url}/readyz`).catch(() => null))?.status === 200, 50_000, 'risk-scorer to be ready', s.exit.then(() => Promise.reject(new Error(`the service exited; see ${s.logPath}`))));
    expect(await metric(s, 'saferoads_risk_scorer_model_info', { slot: 'live', version: 'risk-v1' })).toBe(1);
    const network = loadNetwork();
    const bus = clients.bus({ retries: 10 });
    const scores = collect(bus, topics.SAFEROADS_TOPIC_SCORES);
    const end = Date.UTC(2026, 2, 10, 7, 1);
    const minute = network.segments.flatMap((seg) => [stats(seg.id, '1m', end), stats(seg.id, '10m', end)]);
    await bus.producer().send(topics.SAFEROADS_TOPIC_STATS, minute.map((r) => ({ key: r.segmentId, value: JSON.stringify(r), timestamp: r.windowEndMs })));
    await waitFor(() => scores.length >= network.segments.length, 60_000, `${network.segments.length} scores (have ${scores.length})`);
    const got = scores.map((r) => JSON.parse(r.value) as RiskScore);
    expect(new Set(got.map((x) => x.segmentId))).toEqual(new Set(network.segments.map((x) => x.id)));
    expect(got.every((x) => x.modelVersion === 'risk-v1' && x.risk > 0 && x.risk < 1 && x.complete)).toBe(true);
    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
  });
});

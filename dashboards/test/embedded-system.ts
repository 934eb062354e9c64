/**
 * The whole pipeline in this process for the browser tests, as the embedded mode runs it: the
 * loop-sensor and weather simulators (paced) -> in-process bus -> traffic-stats -> risk-scorer
 * (the committed model) -> alert API (PGlite store, the real app and consumer), listening on a
 * free loopback port and serving dashboards/dist. Nothing is faked.
 */
import { attachAlertApi, alertApiConfig, openStore, type AttachedAlertApi } from '@saferoads/alert-api';
import { LoopSimulator, pace, type Incident } from '@saferoads/loop-sensor';
import { DEFAULT_FEATURE_SPEC_PATH, DEFAULT_MODEL_METADATA_PATH, loadFeatureSpec } from '@saferoads/model-spec';
import { type AlertConfig, ModelSlot, loadOnnxModel } from '@saferoads/risk-scorer';
import { riskTopicSpecs, riskTopicsFrom, startRiskRunner } from '@saferoads/risk-scorer/bus';
import { InProcessBus } from '@saferoads/shared/bus';
import { createLogger } from '@saferoads/shared/logger';
import { loadNetwork, type Network } from '@saferoads/shared/network';
import { ServiceMetrics } from '@saferoads/shared/service';
import { TOPICS, topicNamesFromEnv } from '@saferoads/shared/topics';
import { startStatsRunner, statsTopicSpecs, type StatsRunner } from '@saferoads/traffic-stats';
import { WeatherSimulator } from '@saferoads/weather-sim';

export const KEYS = {
  operator: `srk_dashoperat01_${'o'.repeat(43)}`,
  viewer: `srk_dashviewer01_${'v'.repeat(43)}`,
} as const;

export interface EmbeddedOptions {
  readonly startMs: number;
  readonly minutes: number;
  /** Simulated seconds per wall-clock second. */
  readonly speed: number;
  readonly incidents?: readonly Incident[];
  /** The scorer's alert rules (its defaults otherwise), as a deployment configures them. */
  readonly alerts?: Partial<AlertConfig>;
}

export interface EmbeddedSystem {
  readonly url: string;
  readonly network: Network;
  readonly api: AttachedAlertApi;
  /** Resolves when the simulators have sent everything. */
  readonly fed: Promise<void>;
  stop(): Promise<void>;
}

export async function startEmbeddedSystem(o: EmbeddedOptions): Promise<EmbeddedSystem> {
  const log = createLogger('dashboard-e2e', { level: process.env.E2E_LOG_LEVEL ?? 'warn' });
  const network = loadNetwork();
  const t0 = Date.now();
  const wallClock = () => o.startMs + (Date.now() - t0) * o.speed;
  const bus = new InProcessBus();
  const topics = riskTopicsFrom(topicNamesFromEnv({}));
  await bus.ensureTopics([...statsTopicSpecs(1), { name: TOPICS.weather, partitions: 1 }, ...riskTopicSpecs(1, topics)]);

  const stats: StatsRunner = await startStatsRunner({ bus, network, log: log.child({ stage: 'stats' }), wallClock });
  // The committed model, accepted as the scorer service accepts it (metadata, checksum, test vectors).
  const spec = loadFeatureSpec(DEFAULT_FEATURE_SPEC_PATH);
  const model = await loadOnnxModel({ modelPath: DEFAULT_MODEL_METADATA_PATH.replace(/\.json$/, '.onnx') }, spec);
  const scorer = await startRiskRunner({ bus, network, spec, model: new ModelSlot(model), log: log.child({ stage: 'scorer' }), topics, wallClock, ...(o.alerts && { alerts: o.alerts }) });

  const store = await openStore({});
  const config = alertApiConfig({ SAFEROADS_API_BOOTSTRAP_OPERATOR_KEY: KEYS.operator, SAFEROADS_API_BOOTSTRAP_VIEWER_KEY: KEYS.viewer, ALERT_API_RATE_LIMIT_MAX: '100000' });
  const api = await attachAlertApi({ bus, store, network, log: log.child({ stage: 'alert-api' }), metrics: new ServiceMetrics('alert-api', { defaultMetrics: false }), config });
  const address = await api.app.listen({ port: 0, host: '127.0.0.1' });

  let stopping = false;
  const weather = new WeatherSimulator({ network, seed: 1, startMs: o.startMs, minutes: o.minutes });
  const loops = new LoopSimulator({ network, seed: 1, startMs: o.startMs, minutes: o.minutes, incidents: o.incidents ?? [], weather: weather.effects() });
  const producer = bus.producer();
  const feedWeather = async () => {
    for await (const b of pace(weather.batches(), o.speed)) {
      if (stopping) return;
      await producer.send(TOPICS.weather, b.observations.map((w) => ({ key: w.stationId, value: JSON.stringify(w), timestamp: w.ts })));
    }
  };
  const feedLoops = async () => {
    for await (const b of pace(loops.batches(), o.speed)) {
      if (stopping) return;
      await producer.send(TOPICS.detections, b.detections.map((d) => ({ key: network.detectors.get(d.detectorId)?.segmentId ?? null, value: JSON.stringify(d), timestamp: d.ts })));
    }
  };
  const fed = Promise.all([feedWeather(), feedLoops()]).then(() => undefined);

  return {
    url: address,
    network,
    api,
    fed,
    stop: async () => {
      stopping = true;
      await fed.catch(() => undefined);
      await api.close();
      await scorer.stop();
      await model.release();
      await stats.stop({ flush: false });
      await bus.close();
      await store.close();
    },
  };
}

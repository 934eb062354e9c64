import { SqlNotificationLog } from '@saferoads/alert-exchange';
import { KafkaBus, kafkaConfigFromEnv } from '@saferoads/shared/bus';
import { createLogger } from '@saferoads/shared/logger';
import { DEFAULT_NETWORK_PATH, loadNetwork } from '@saferoads/shared/network';
import { readConfigs, Readiness, runService, ServiceMetrics } from '@saferoads/shared/service';
import { TOPIC_CONFIG, topicNamesFromEnv } from '@saferoads/shared/topics';
import { attachAlertApi, type AttachedAlertApi } from './attach.js';
import { alertApiConfig } from './config.js';
import { openStore } from './store/open.js';
import type { PgAlertStore } from './store/pg-store.js';

const log = createLogger('alert-api');

let config: ReturnType<typeof readAll>;
function readAll() {
  return readConfigs('alert-api', { service: () => alertApiConfig(process.env), kafka: () => kafkaConfigFromEnv(process.env), topics: () => topicNamesFromEnv(process.env) });
}
try {
  config = readAll();
} catch (err) {
  log.fatal({ err }, 'invalid configuration: not starting');
  process.exit(1);
}

const { service: cfg, topics: names } = config;
const topics = { scores: names.scores, alerts: names.alerts, stats: names.stats, weather: names.weather };
const thresholdsTopic = names.thresholds;
const readiness = new Readiness();
let bus: KafkaBus | undefined;
let store: PgAlertStore | undefined;
let api: AttachedAlertApi | undefined;

await runService({
  name: 'alert-api',
  log,
  stopTimeoutMs: cfg.shutdownTimeoutMs,
  start: async () => {
    // The network first: a bad file fails the start before any connection is made.
    const network = loadNetwork(cfg.networkFile ?? DEFAULT_NETWORK_PATH);
    log.info({ network: network.name, segments: network.segments.length }, 'road network loaded');
    store = await openStore({ databaseUrl: cfg.databaseUrl, pgliteDir: cfg.pgliteDir, maxConnections: cfg.dbMaxConnections });
    log.info({ database: store.describe }, 'database migrated');
    const kafka = new KafkaBus(config.kafka, { logger: log });
    bus = kafka;
    // The thresholds topic keeps its settings (compacted, one key).
    await kafka.ensureTopics([...kafka.topicSpecs(Object.values(topics)), { ...kafka.topicSpecs([thresholdsTopic])[0], config: { ...TOPIC_CONFIG.thresholds } }]);
    readiness.add('bus', async () => {
      await kafka.partitionsOf(topics.alerts);
    });
    const db = store;
    api = await attachAlertApi({
      bus: kafka,
      store,
      network,
      log,
      metrics: new ServiceMetrics('alert-api'),
      config: cfg,
      readiness,
      topics,
      thresholdsTopic,
      notificationLog: new SqlNotificationLog((t, p) => db.query(t, p)),
    });
    api.consumer.done.catch((err: unknown) => {
      log.fatal({ err }, 'the consumer stopped with an error');
      process.exit(1);
    });
    const address = await api.app.listen({ port: cfg.port, host: cfg.host });
    log.info({ address, docs: `${address}/docs` }, 'alert API listening');
  },
  stop: async () => {
    // Not ready first; then the consumer finishes its batch, the streams end, requests finish.
    readiness.markStopping();
    await api?.close();
    await bus?.close();
    await store?.close();
  },
});

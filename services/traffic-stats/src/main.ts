import Fastify from 'fastify';
import { KafkaBus, kafkaConfigFromEnv } from '@saferoads/shared/bus';
import { createLogger } from '@saferoads/shared/logger';
import { DEFAULT_NETWORK_PATH, loadNetwork } from '@saferoads/shared/network';
import { httpErrors, opsRoutes, readConfigs, Readiness, runService, ServiceMetrics } from '@saferoads/shared/service';
import { topicNamesFromEnv } from '@saferoads/shared/topics';
import { startStatsRunner, statsTopicSpecs, type StatsRunner } from './bus-runner.js';
import { trafficStatsServiceConfig } from './service/config.js';
import { statsMetrics } from './service/metrics.js';

const log = createLogger('traffic-stats');

let config: ReturnType<typeof readAll>;
function readAll() {
  return readConfigs('traffic-stats', {
    service: () => trafficStatsServiceConfig(process.env),
    kafka: () => kafkaConfigFromEnv(process.env),
    topics: () => topicNamesFromEnv(process.env),
  });
}
try {
  config = readAll();
} catch (err) {
  log.fatal({ err }, 'invalid configuration: not starting');
  process.exit(1);
}

const { service: cfg, topics: names } = config;
const topics = { detections: names.detections, stats: names.stats, dlq: names.detectionsDlq, late: names.detectionsLate, checkpoints: names.statsCheckpoints };
const readiness = new Readiness();
const metrics = new ServiceMetrics('traffic-stats');
const m = statsMetrics(metrics);
const ops = Fastify({ loggerInstance: log.child({ stage: 'http' }) });
let bus: KafkaBus | undefined;
let runner: StatsRunner | undefined;
let lagTimer: NodeJS.Timeout | undefined;

await runService({
  name: 'traffic-stats',
  log,
  stopTimeoutMs: cfg.shutdownTimeoutMs,
  start: async () => {
    const network = loadNetwork(cfg.networkFile ?? DEFAULT_NETWORK_PATH);
    log.info({ network: network.name, segments: network.segments.length, detectors: network.detectors.size }, 'road network loaded');
    const kafka = new KafkaBus(config.kafka, { logger: log });
    bus = kafka;
    // Partitions and replication as configured; the checkpoint topic keeps its own settings (compacted).
    await kafka.ensureTopics(statsTopicSpecs(kafka.config.topicPartitions, topics).map((s) => ({ ...kafka.topicSpecs([s.name])[0], ...(s.config && { config: s.config }) })));
    readiness.add('bus', async () => {
      await kafka.partitionsOf(topics.detections);
    });
    await ops.register(opsRoutes, { metrics, readiness });
    await ops.register(httpErrors);
    await ops.listen({ port: cfg.port, host: cfg.host });

    runner = await startStatsRunner({
      bus: kafka,
      network,
      log,
      groupId: cfg.groupId,
      topics,
      config: { outOfOrdernessMs: cfg.outOfOrdernessMs, graceMs: cfg.graceMs, idleTimeoutMs: cfg.idleTimeoutMs, truckMinLengthM: cfg.truckMinLengthM },
      commitIntervalMs: cfg.commitIntervalMs,
      onStats: (r, closedAtMs) => m.published(r, closedAtMs, Date.now()),
      onCounters: (c) => m.sync(c),
    });
    runner.done.catch((err: unknown) => {
      log.fatal({ err }, 'the consumer stopped with an error');
      process.exit(1);
    });
    lagTimer = setInterval(() => {
      void Promise.all([kafka.endOffsets(topics.detections), kafka.committedOffsets(cfg.groupId, topics.detections)])
        .then(([end, committed]) => end.forEach((e, p) => m.lag.set({ partition: String(p) }, e - (committed[p] ?? 0))))
        .catch((err: unknown) => log.warn({ err }, 'measuring consumer lag failed'));
    }, cfg.lagIntervalMs);
    lagTimer.unref();
  },
  stop: async () => {
    // Not ready first; then finish the batch in hand, publish, commit and leave the group.
    readiness.markStopping();
    clearInterval(lagTimer);
    await runner?.stop();
    await ops.close();
    await bus?.close();
  },
});

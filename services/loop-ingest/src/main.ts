import { KafkaBus, kafkaConfigFromEnv, type KafkaBusConfig } from '@saferoads/shared/bus';
import { createLogger } from '@saferoads/shared/logger';
import { DEFAULT_NETWORK_PATH, loadNetwork } from '@saferoads/shared/network';
import { readConfigs, Readiness, runService, ServiceMetrics } from '@saferoads/shared/service';
import { TOPICS } from '@saferoads/shared/topics';
import { buildApp, listen, type LoopIngestApp } from './app.js';
import { loopIngestConfig, type LoopIngestConfig } from './config.js';

const log = createLogger('loop-ingest');

let config: { service: LoopIngestConfig; kafka: KafkaBusConfig };
try {
  // Both are read before either fails, so one error names every bad variable.
  config = readConfigs('loop-ingest', { service: () => loopIngestConfig(process.env), kafka: () => kafkaConfigFromEnv(process.env) });
} catch (err) {
  log.fatal({ err }, 'invalid configuration: not starting');
  process.exit(1);
}

const readiness = new Readiness();
let bus: KafkaBus | undefined;
let app: LoopIngestApp | undefined;

await runService({
  name: 'loop-ingest',
  log,
  stopTimeoutMs: config.service.shutdownTimeoutMs,
  start: async () => {
    // The network first: a bad file fails the start before any connection is made.
    const network = loadNetwork(config.service.networkFile ?? DEFAULT_NETWORK_PATH);
    log.info({ network: network.name, segments: network.segments.length, detectors: network.detectors.size }, 'road network loaded');
    bus = new KafkaBus(config.kafka, { logger: log });
    // Creates missing topics only where KAFKA_ALLOW_TOPIC_CREATION allows; otherwise fails naming them.
    await bus.ensureTopics(bus.topicSpecs([TOPICS.detections, TOPICS.detectionsDlq]));
    app = await buildApp({ bus, network, log, metrics: new ServiceMetrics('loop-ingest'), config: config.service, readiness });
    await listen(app, config.service);
  },
  stop: async () => {
    // Not ready first, so load balancers stop sending; then the server stops accepting, finishes
    // the requests it has (each waits for its batch's acknowledgement) and closes the producer.
    readiness.markStopping();
    await app?.close();
    await bus?.close();
  },
});

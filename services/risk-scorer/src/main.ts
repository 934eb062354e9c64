import { KafkaBus, kafkaConfigFromEnv } from '@saferoads/shared/bus';
import { createLogger } from '@saferoads/shared/logger';
import { DEFAULT_NETWORK_PATH, loadNetwork } from '@saferoads/shared/network';
import { readConfigs, runService } from '@saferoads/shared/service';
import { topicNamesFromEnv } from '@saferoads/shared/topics';
import { riskTopicSpecs, riskTopicsFrom } from './bus/topics.js';
import { riskScorerServiceConfig } from './service/config.js';
import { RiskScorerService } from './service/service.js';

const log = createLogger('risk-scorer');

let config: ReturnType<typeof readAll>;
function readAll() {
  return readConfigs('risk-scorer', {
    service: () => riskScorerServiceConfig(process.env),
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

const cfg = config.service;
const topics = riskTopicsFrom(config.topics);
let bus: KafkaBus | undefined;
let service: RiskScorerService | undefined;

// Installed first: node's default for SIGHUP is to end the process, whatever phase it is in.
process.on('SIGHUP', () => {
  if (!cfg.modelReloadOnSighup) log.warn('SIGHUP ignored (RISK_MODEL_RELOAD_ON_SIGHUP=false)');
  else if (!service) log.warn('SIGHUP before the models are loaded: ignored');
  else {
    log.info('SIGHUP: checking the model files');
    void service.reload();
  }
});

await runService({
  name: 'risk-scorer',
  log,
  stopTimeoutMs: cfg.shutdownTimeoutMs,
  start: async () => {
    const network = loadNetwork(cfg.networkFile ?? DEFAULT_NETWORK_PATH);
    log.info({ network: network.name, segments: network.segments.length }, 'road network loaded');
    const kafka = new KafkaBus(config.kafka, { logger: log });
    bus = kafka;
    // Inputs and outputs with the deployment's partitions and replication; the checkpoints keep their settings (compacted).
    // Without KAFKA_ALLOW_TOPIC_CREATION a missing topic fails the start, naming it.
    const specs = [{ name: topics.stats, partitions: 1 }, { name: topics.weather, partitions: 1 }, ...riskTopicSpecs(kafka.config.topicPartitions, topics)];
    await kafka.ensureTopics(specs.map((s) => ({ ...kafka.topicSpecs([s.name])[0], ...(s.config && { config: s.config }) })));
    service = new RiskScorerService({ bus: kafka, network, config: cfg, topics, log, offsets: kafka });
    const app = await service.ready();
    await app.listen({ port: cfg.port, host: cfg.host });
    await service.start();
    service.done.then(
      () => undefined,
      (err: unknown) => {
        log.fatal({ err }, 'the consumer stopped with an error');
        process.exit(1);
      },
    );
  },
  stop: async () => {
    // Not ready first; then finish the batch in hand, publish, commit and leave the groups.
    await service?.stop();
    await bus?.close();
  },
});

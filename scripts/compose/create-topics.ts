/**
 * Creates the pipeline's Kafka topics once, then exits: the `topics` service of
 * docker-compose.yml (docs/deployment.md), also usable against any cluster:
 *
 *   KAFKA_BROKERS=host:9092 node --import tsx scripts/compose/create-topics.ts [topic ...]
 *
 * With no arguments it creates every topic of the design (`TOPICS` in
 * services/shared/src/topics.ts), including those of services still to come (weather, risk), so
 * that the services themselves run with KAFKA_ALLOW_TOPIC_CREATION=false. It goes through the
 * bus's own `ensureTopics`, so topics get what the services would give them: KAFKA_TOPIC_PARTITIONS
 * partitions, KAFKA_REPLICATION_FACTOR (else min(3, brokers)) replicas and min.insync.replicas to
 * match; TLS and SASL come from the same KAFKA_* variables. Existing topics are left as they are
 * (a different partition count is logged). It waits a minute or two for the cluster; exit 0 when
 * every topic exists, 1 otherwise.
 */
import { KafkaBus, kafkaConfigFromEnv, type KafkaBusConfig } from '@saferoads/shared/bus';
import { isRetriable } from '@saferoads/shared/errors';
import { createLogger } from '@saferoads/shared/logger';
import { retry } from '@saferoads/shared/retry';
import { TOPIC_CONFIG, topicNamesFromEnv, type TopicKey } from '@saferoads/shared/topics';

const log = createLogger('create-topics');
// Topic names as the services see them (SAFEROADS_TOPIC_* renames applied), each with its settings.
const named = topicNamesFromEnv(process.env);
const configOf = new Map(Object.entries(named).map(([key, name]) => [name, TOPIC_CONFIG[key as TopicKey]]));
const names = process.argv.length > 2 ? process.argv.slice(2) : [...new Set(Object.values(named))];

let config: KafkaBusConfig;
try {
  // Creating topics is this program's whole purpose, whatever the environment says.
  config = kafkaConfigFromEnv({ ...process.env, KAFKA_ALLOW_TOPIC_CREATION: 'true' });
} catch (err) {
  log.fatal({ err }, 'invalid Kafka configuration');
  process.exit(1);
}

try {
  const partitions = await retry(
    async () => {
      // A fresh bus per attempt: a client that failed to connect is not reused.
      const bus = new KafkaBus(config, { logger: log });
      try {
        await bus.ensureTopics(bus.topicSpecs(names).map((spec) => ({ ...spec, ...(configOf.get(spec.name) && { config: configOf.get(spec.name) }) })));
        return await Promise.all(names.map(async (topic) => [topic, await bus.partitionsOf(topic)] as const));
      } finally {
        await bus.close();
      }
    },
    {
      attempts: 30,
      initialDelayMs: 1_000,
      maxDelayMs: 5_000,
      retryOn: isRetriable,
      onRetry: (err, attempt, delayMs) => log.warn({ err, attempt, delayMs }, 'the Kafka cluster is not ready yet; trying again'),
    },
  );
  log.info({ brokers: config.brokers, topics: Object.fromEntries(partitions) }, `${names.length} topics exist`);
} catch (err) {
  log.fatal({ err, topics: names }, 'creating the topics failed');
  process.exit(1);
}

import { KafkaBus } from '../bus/kafka.js';
import { kafkaConfigFromEnv } from '../bus/kafka-env.js';
import type { KafkaBusConfig } from '../bus/kafka-config.js';
import { createLogger, type Logger } from '../logger.js';
import { readConfigs } from '../service/env-config.js';
import { Readiness } from '../service/readiness.js';
import { runService } from '../service/run-service.js';
import { ServiceMetrics } from '../service/metrics.js';
import { topicNamesFromEnv, type TopicKey, type TopicNames } from '../topics.js';

/** What every gateway's configuration has: where it listens and how long it may take to stop. */
export interface GatewayServiceConfig {
  readonly port: number;
  readonly host: string;
  readonly shutdownTimeoutMs: number;
}

/** What a gateway's start gets: its configuration, the connected bus and the service's pieces. */
export interface GatewayContext<C> {
  readonly config: C;
  readonly bus: KafkaBus;
  readonly log: Logger;
  readonly metrics: ServiceMetrics;
  readonly readiness: Readiness;
  /** Topic names, with the deployment's SAFEROADS_TOPIC_* renames applied. */
  readonly topics: TopicNames;
}

/** The part of a Fastify app a gateway main needs: listen, then close on shutdown. */
export interface ListeningApp {
  listen(opts: { port: number; host: string }): Promise<string>;
  close(): Promise<unknown>;
}

export interface GatewayMainOptions<C extends GatewayServiceConfig> {
  readonly name: string;
  /** Reads and validates the service's own configuration; throws a ConfigError. */
  readonly config: () => C;
  /** The topics it writes: they must exist (created only where KAFKA_ALLOW_TOPIC_CREATION allows). */
  readonly topics: readonly TopicKey[];
  /** Loads what it needs (a bad file fails the start before any connection) and builds the app. */
  readonly prepare?: (config: C, log: Logger) => void | Promise<void>;
  readonly buildApp: (ctx: GatewayContext<C>) => Promise<ListeningApp>;
}

/**
 * The main of a batch gateway over Kafka: configuration (service and KAFKA_*, one error naming
 * every bad variable), the topics, the app on HOST:PORT, and a graceful stop on SIGTERM: not ready
 * first, then the server finishes its requests (each waits for its batch's acknowledgement) and
 * closes its producer, then the bus.
 */
export async function runGatewayMain<C extends GatewayServiceConfig>(opts: GatewayMainOptions<C>): Promise<void> {
  const log = createLogger(opts.name);
  let config: { service: C; kafka: KafkaBusConfig; topics: TopicNames };
  try {
    // All are read before any fails, so one error names every bad variable.
    config = readConfigs(opts.name, { service: opts.config, kafka: () => kafkaConfigFromEnv(process.env), topics: () => topicNamesFromEnv(process.env) });
  } catch (err) {
    log.fatal({ err }, 'invalid configuration: not starting');
    process.exit(1);
  }

  const readiness = new Readiness();
  let bus: KafkaBus | undefined;
  let app: ListeningApp | undefined;
  await runService({
    name: opts.name,
    log,
    stopTimeoutMs: config.service.shutdownTimeoutMs,
    start: async () => {
      await opts.prepare?.(config.service, log);
      bus = new KafkaBus(config.kafka, { logger: log });
      // Creates missing topics only where KAFKA_ALLOW_TOPIC_CREATION allows; otherwise fails naming them.
      await bus.ensureTopics(bus.topicSpecs(opts.topics.map((key) => config.topics[key])));
      app = await opts.buildApp({ config: config.service, bus, log, metrics: new ServiceMetrics(opts.name), readiness, topics: config.topics });
      await app.listen({ port: config.service.port, host: config.service.host });
    },
    stop: async () => {
      readiness.markStopping();
      await app?.close();
      await bus?.close();
    },
  });
}

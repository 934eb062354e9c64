import { KafkaBus, kafkaConfigFromEnv, type KafkaBusConfig } from '@saferoads/shared/bus';
import type { Logger } from '@saferoads/shared/logger';
import type { Network } from '@saferoads/shared/network';
import type { Detection } from '@saferoads/shared';
import type { DetectionBatch } from '../types.js';
import { BusSink } from './bus-sink.js';
import type { RecordFormat } from './format.js';
import { DeliveryError } from './sink.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The Kafka configuration of a kafka:// target: brokers from the URL, everything else (TLS,
 * SASL, timeouts, retries) from the usual KAFKA_* variables. Throws a ConfigError naming them.
 */
export function kafkaTargetConfig(brokers: readonly string[], env: Env): KafkaBusConfig {
  return kafkaConfigFromEnv({ ...env, KAFKA_BROKERS: brokers.join(',') });
}

export interface KafkaSinkOptions<B = DetectionBatch, T = Detection> {
  readonly config: KafkaBusConfig;
  readonly topic: string;
  /** Detections: their keys from the network. */
  readonly network?: Network;
  /** Other records than detections. */
  readonly format?: RecordFormat<B, T>;
  readonly batchSize: number;
  readonly logger?: Logger;
}

/**
 * Connects and checks that the topic exists before anything is simulated: a missing topic or an
 * unreachable cluster fails here with a message, not after the first batch. The producer is the
 * bus's (idempotent, acks=-1), so a sent record is on every in-sync replica.
 */
export async function openKafkaSink<B = DetectionBatch, T = Detection>(opts: KafkaSinkOptions<B, T>): Promise<BusSink<B, T>> {
  const name = `kafka://${opts.config.brokers.join(',')}`;
  const bus = new KafkaBus(opts.config, opts.logger ? { logger: opts.logger } : {});
  try {
    await bus.partitionsOf(opts.topic);
  } catch (err) {
    await bus.close();
    throw new DeliveryError(`cannot produce to ${opts.topic} on ${name}: ${(err as Error).message}`);
  }
  return new BusSink<B, T>({
    name,
    producer: bus.producer(),
    topic: opts.topic,
    ...(opts.network && { network: opts.network }),
    ...(opts.format && { format: opts.format }),
    batchSize: opts.batchSize,
    onClose: () => bus.close(),
  });
}

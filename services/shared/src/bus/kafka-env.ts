import { ConfigError } from '../errors.js';
import { checkKafkaConfig, type KafkaBusConfig, type KafkaBusConfigInput, type KafkaSaslMechanism, type KafkaTlsInput } from './kafka-config.js';

/** The environment variable behind each configuration field, so problems name what an operator sets. */
export const KAFKA_ENV = {
  brokers: 'KAFKA_BROKERS',
  clientId: 'KAFKA_CLIENT_ID',
  tls: 'KAFKA_SSL',
  'tls.ca': 'KAFKA_SSL_CA',
  'tls.cert': 'KAFKA_SSL_CERT',
  'tls.key': 'KAFKA_SSL_KEY',
  'tls.rejectUnauthorized': 'KAFKA_SSL_REJECT_UNAUTHORIZED',
  'sasl.mechanism': 'KAFKA_SASL_MECHANISM',
  'sasl.username': 'KAFKA_SASL_USERNAME',
  'sasl.password': 'KAFKA_SASL_PASSWORD',
  topicPartitions: 'KAFKA_TOPIC_PARTITIONS',
  replicationFactor: 'KAFKA_REPLICATION_FACTOR',
  allowTopicCreation: 'KAFKA_ALLOW_TOPIC_CREATION',
  connectionTimeoutMs: 'KAFKA_CONNECTION_TIMEOUT_MS',
  requestTimeoutMs: 'KAFKA_REQUEST_TIMEOUT_MS',
  retries: 'KAFKA_RETRIES',
  initialRetryTimeMs: 'KAFKA_RETRY_INITIAL_MS',
  sessionTimeoutMs: 'KAFKA_SESSION_TIMEOUT_MS',
  heartbeatIntervalMs: 'KAFKA_HEARTBEAT_INTERVAL_MS',
  fetchMaxWaitMs: 'KAFKA_FETCH_MAX_WAIT_MS',
  transactionTimeoutMs: 'KAFKA_TRANSACTION_TIMEOUT_MS',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

const envLabel = (field: string): string => {
  const m = /^([^[]+)(\[\d+\])?$/.exec(field);
  const name = m && (KAFKA_ENV as Record<string, string>)[m[1]];
  return name ? `${name}${m[2] ?? ''}` : field;
};

/**
 * Reads the Kafka configuration from environment variables (see docs/kafka.md) and validates it;
 * throws one ConfigError naming every bad variable. Empty variables count as unset.
 */
export function kafkaConfigFromEnv(env: Env = process.env): KafkaBusConfig {
  const problems: string[] = [];
  // Values are trimmed, except PEM texts, which are kept byte for byte.
  const get = (name: string, raw = false): string | undefined => {
    const v = env[name];
    if (v === undefined || v.trim() === '') return undefined;
    return raw && v.includes('-----BEGIN ') ? v : v.trim();
  };
  const bool = (name: string): boolean | undefined => {
    const v = get(name)?.toLowerCase();
    if (v === undefined) return undefined;
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
    problems.push(`${name}: must be true or false, got ${JSON.stringify(env[name])}`);
    return undefined;
  };
  const int = (name: string): number | undefined => {
    const v = get(name);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) {
      problems.push(`${name}: must be a whole number, got ${JSON.stringify(v)}`);
      return undefined;
    }
    return Number(v);
  };

  // A missing KAFKA_BROKERS is reported by the validation ("must list at least one host:port").
  const brokersText = get(KAFKA_ENV.brokers);
  const input: KafkaBusConfigInput = {
    brokers: (brokersText ?? '').split(',').map((b) => b.trim()).filter((b) => b !== ''),
    clientId: get(KAFKA_ENV.clientId),
    tls: tlsFromEnv(get, bool, problems),
    sasl: saslFromEnv(get, problems),
    topicPartitions: int(KAFKA_ENV.topicPartitions),
    replicationFactor: int(KAFKA_ENV.replicationFactor),
    allowTopicCreation: bool(KAFKA_ENV.allowTopicCreation),
    connectionTimeoutMs: int(KAFKA_ENV.connectionTimeoutMs),
    requestTimeoutMs: int(KAFKA_ENV.requestTimeoutMs),
    retries: int(KAFKA_ENV.retries),
    initialRetryTimeMs: int(KAFKA_ENV.initialRetryTimeMs),
    sessionTimeoutMs: int(KAFKA_ENV.sessionTimeoutMs),
    heartbeatIntervalMs: int(KAFKA_ENV.heartbeatIntervalMs),
    fetchMaxWaitMs: int(KAFKA_ENV.fetchMaxWaitMs),
    transactionTimeoutMs: int(KAFKA_ENV.transactionTimeoutMs),
  };
  // One error lists both the variables that did not parse and the values that did not validate.
  const checked = checkKafkaConfig(input, envLabel);
  const all = [...problems, ...checked.problems];
  if (all.length) throw new ConfigError('kafka', all);
  return checked.config;
}

function tlsFromEnv(get: (n: string, raw?: boolean) => string | undefined, bool: (n: string) => boolean | undefined, problems: string[]): boolean | KafkaTlsInput | undefined {
  const ssl = bool(KAFKA_ENV.tls);
  const material: KafkaTlsInput = {
    ca: get(KAFKA_ENV['tls.ca'], true),
    cert: get(KAFKA_ENV['tls.cert'], true),
    key: get(KAFKA_ENV['tls.key'], true),
    rejectUnauthorized: bool(KAFKA_ENV['tls.rejectUnauthorized']),
  };
  const given = (Object.keys(material) as (keyof KafkaTlsInput)[]).filter((k) => material[k] !== undefined);
  if (given.length === 0) return ssl;
  if (ssl === false) {
    problems.push(`${KAFKA_ENV.tls}: is false but ${given.map((k) => KAFKA_ENV[`tls.${k}`]).join(', ')} ${given.length > 1 ? 'are' : 'is'} set`);
    return false;
  }
  return material;
}

function saslFromEnv(get: (n: string) => string | undefined, problems: string[]): KafkaBusConfigInput['sasl'] {
  const mechanism = get(KAFKA_ENV['sasl.mechanism'])?.toLowerCase();
  const username = get(KAFKA_ENV['sasl.username']);
  const password = get(KAFKA_ENV['sasl.password']);
  if (mechanism === undefined) {
    if (username !== undefined || password !== undefined) {
      problems.push(`${KAFKA_ENV['sasl.mechanism']}: is required when ${KAFKA_ENV['sasl.username']} or ${KAFKA_ENV['sasl.password']} is set`);
    }
    return undefined;
  }
  return { mechanism: mechanism as KafkaSaslMechanism, username: username ?? '', password: password ?? '' };
}

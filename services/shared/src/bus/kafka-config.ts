import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';

export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** TLS material: each of ca, cert and key is either a file path or the PEM text itself. */
export interface KafkaTlsInput {
  /** Trusted CA bundle; without it Node's default CAs are trusted. */
  readonly ca?: string;
  /** Client certificate for mutual TLS (needs `key`). */
  readonly cert?: string;
  /** Client private key for mutual TLS (needs `cert`). */
  readonly key?: string;
  /** Verify the broker's certificate; true unless set to false. */
  readonly rejectUnauthorized?: boolean;
}

export interface KafkaSaslConfig {
  readonly mechanism: KafkaSaslMechanism;
  readonly username: string;
  readonly password: string;
}

export interface KafkaBusConfigInput {
  /** `host:port` of one or more bootstrap brokers. */
  readonly brokers: readonly string[];
  readonly clientId?: string;
  /** true: TLS with Node's default CAs; an object: TLS with the given material. */
  readonly tls?: boolean | KafkaTlsInput | null;
  readonly sasl?: KafkaSaslConfig | null;
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** How often kafkajs retries a failed connection or request before it gives up. */
  readonly retries?: number;
  /** First backoff of those retries; it roughly doubles with each. */
  readonly initialRetryTimeMs?: number;
  /** Partitions for topics this deployment creates (see KafkaBus.topicSpecs). */
  readonly topicPartitions?: number;
  /** Replication factor of created topics; unset: min(3, brokers in the cluster). */
  readonly replicationFactor?: number | null;
  /** Whether ensureTopics may create missing topics; otherwise it fails listing them. */
  readonly allowTopicCreation?: boolean;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** Longest a fetch waits for data on an idle partition: bounds end-to-end latency and stop(). */
  readonly fetchMaxWaitMs?: number;
  readonly transactionTimeoutMs?: number;
}

/** TLS settings with the PEM text loaded. */
export interface KafkaTls {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly rejectUnauthorized: boolean;
}

/** A validated configuration; it is also a valid input, so validating it again changes nothing. */
export interface KafkaBusConfig extends KafkaBusConfigInput {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly tls: KafkaTls | null;
  readonly sasl: KafkaSaslConfig | null;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly retries: number;
  readonly initialRetryTimeMs: number;
  readonly topicPartitions: number;
  readonly replicationFactor: number | null;
  readonly allowTopicCreation: boolean;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly fetchMaxWaitMs: number;
  readonly transactionTimeoutMs: number;
}

export const KAFKA_DEFAULTS = {
  clientId: 'saferoads',
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 30_000,
  retries: 5,
  initialRetryTimeMs: 300,
  topicPartitions: 6,
  allowTopicCreation: false,
  sessionTimeoutMs: 30_000,
  heartbeatIntervalMs: 3_000,
  fetchMaxWaitMs: 1_000,
  transactionTimeoutMs: 60_000,
} as const;

/** Names a field in a problem; kafkaConfigFromEnv names the environment variable instead. */
export type FieldLabel = (field: string) => string;

const REDACTED = '[redacted]';

/** Validates and completes a configuration; throws one ConfigError naming every bad field. */
export function kafkaBusConfig(input: KafkaBusConfigInput, label: FieldLabel = (f) => f): KafkaBusConfig {
  const { config, problems } = checkKafkaConfig(input, label);
  if (problems.length) throw new ConfigError('kafka', problems);
  return config;
}

/** The completed configuration and every problem found (the config is only usable without problems). */
export function checkKafkaConfig(input: KafkaBusConfigInput, label: FieldLabel): { config: KafkaBusConfig; problems: string[] } {
  const problems: string[] = [];
  const bad = (field: string, reason: string) => problems.push(`${label(field)}: ${reason}`);
  const int = (field: keyof KafkaBusConfigInput, value: unknown, fallback: number, min: number, max: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      bad(field, `must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
      return fallback;
    }
    return value;
  };

  const brokers = checkBrokers(input.brokers, bad);
  const clientId = input.clientId ?? KAFKA_DEFAULTS.clientId;
  if (typeof clientId !== 'string' || clientId.trim() === '') bad('clientId', 'must be a non-empty string');
  const tls = checkTls(input.tls, bad);
  const sasl = checkSasl(input.sasl, bad);
  const rf = input.replicationFactor ?? null;
  const replicationFactor = rf === null ? null : int('replicationFactor', rf, 1, 1, 32_767);
  const allowTopicCreation = input.allowTopicCreation ?? KAFKA_DEFAULTS.allowTopicCreation;
  if (typeof allowTopicCreation !== 'boolean') bad('allowTopicCreation', `must be true or false, got ${JSON.stringify(allowTopicCreation)}`);
  const sessionTimeoutMs = int('sessionTimeoutMs', input.sessionTimeoutMs, KAFKA_DEFAULTS.sessionTimeoutMs, 1_000, 3_600_000);
  const heartbeatIntervalMs = int('heartbeatIntervalMs', input.heartbeatIntervalMs, KAFKA_DEFAULTS.heartbeatIntervalMs, 10, 3_600_000);
  // The group evicts a member that misses heartbeats for a whole session timeout.
  if (heartbeatIntervalMs >= sessionTimeoutMs) bad('heartbeatIntervalMs', `must be below sessionTimeoutMs (${sessionTimeoutMs}), got ${heartbeatIntervalMs}`);

  const config: KafkaBusConfig = {
    brokers,
    clientId,
    tls,
    sasl,
    connectionTimeoutMs: int('connectionTimeoutMs', input.connectionTimeoutMs, KAFKA_DEFAULTS.connectionTimeoutMs, 1, 600_000),
    requestTimeoutMs: int('requestTimeoutMs', input.requestTimeoutMs, KAFKA_DEFAULTS.requestTimeoutMs, 1, 600_000),
    retries: int('retries', input.retries, KAFKA_DEFAULTS.retries, 0, 100),
    initialRetryTimeMs: int('initialRetryTimeMs', input.initialRetryTimeMs, KAFKA_DEFAULTS.initialRetryTimeMs, 1, 60_000),
    topicPartitions: int('topicPartitions', input.topicPartitions, KAFKA_DEFAULTS.topicPartitions, 1, 10_000),
    replicationFactor,
    allowTopicCreation,
    sessionTimeoutMs,
    heartbeatIntervalMs,
    fetchMaxWaitMs: int('fetchMaxWaitMs', input.fetchMaxWaitMs, KAFKA_DEFAULTS.fetchMaxWaitMs, 0, 60_000),
    transactionTimeoutMs: int('transactionTimeoutMs', input.transactionTimeoutMs, KAFKA_DEFAULTS.transactionTimeoutMs, 1_000, 900_000),
  };
  return { config, problems };
}

function checkBrokers(brokers: unknown, bad: (field: string, reason: string) => void): string[] {
  if (!Array.isArray(brokers) || brokers.length === 0) {
    bad('brokers', 'must list at least one host:port');
    return [];
  }
  brokers.forEach((b: unknown, i) => {
    const s = typeof b === 'string' ? b.trim() : '';
    const colon = s.lastIndexOf(':');
    const host = s.slice(0, colon);
    const port = s.slice(colon + 1);
    if (colon <= 0 || host === '' || !/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65_535) {
      bad(`brokers[${i}]`, `expected host:port with a port from 1 to 65535, got ${JSON.stringify(b)}`);
    }
  });
  return brokers.map((b: unknown) => String(b).trim());
}

function checkTls(tls: KafkaBusConfigInput['tls'], bad: (field: string, reason: string) => void): KafkaTls | null {
  if (tls === undefined || tls === null || tls === false) return null;
  if (tls === true) return { rejectUnauthorized: true };
  if (typeof tls !== 'object') {
    bad('tls', `must be true, false or an object with ca, cert, key, rejectUnauthorized, got ${JSON.stringify(tls)}`);
    return null;
  }
  const rejectUnauthorized = tls.rejectUnauthorized ?? true;
  if (typeof rejectUnauthorized !== 'boolean') bad('tls.rejectUnauthorized', `must be true or false, got ${JSON.stringify(rejectUnauthorized)}`);
  const ca = loadPem('tls.ca', tls.ca, bad, true);
  const cert = loadPem('tls.cert', tls.cert, bad, true);
  // The key's value is never echoed: it may be the key material itself.
  const key = loadPem('tls.key', tls.key, bad, false);
  if (tls.cert !== undefined && tls.key === undefined) bad('tls.key', 'is required with tls.cert (mutual TLS needs both)');
  if (tls.key !== undefined && tls.cert === undefined) bad('tls.cert', 'is required with tls.key (mutual TLS needs both)');
  return { rejectUnauthorized, ...(ca && { ca }), ...(cert && { cert }), ...(key && { key }) };
}

/** PEM text is kept as is; anything else is a path to a file that must hold PEM text. */
function loadPem(field: string, value: unknown, bad: (field: string, reason: string) => void, echo: boolean): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    bad(field, 'must be a file path or PEM text');
    return undefined;
  }
  if (value.includes('-----BEGIN ')) return value;
  const shown = echo ? ` ${JSON.stringify(value)}` : '';
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (err) {
    bad(field, `is not PEM text and the file${shown} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
  if (!text.includes('-----BEGIN ')) {
    bad(field, `file${shown} holds no PEM data`);
    return undefined;
  }
  return text;
}

function checkSasl(sasl: KafkaBusConfigInput['sasl'], bad: (field: string, reason: string) => void): KafkaSaslConfig | null {
  if (sasl === undefined || sasl === null) return null;
  const mechanism = sasl.mechanism;
  if (!(KAFKA_SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
    bad('sasl.mechanism', `must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}, got ${JSON.stringify(mechanism)}`);
  }
  if (typeof sasl.username !== 'string' || sasl.username === '') bad('sasl.username', `is required with SASL ${mechanism}`);
  // Never echo the password, not even a wrong type of it.
  if (typeof sasl.password !== 'string' || sasl.password === '') bad('sasl.password', `is required with SASL ${mechanism}`);
  return { mechanism, username: sasl.username, password: sasl.password };
}

/** The configuration as it may be logged: passwords and private keys replaced, PEM texts summarised. */
export function describeKafkaConfig(cfg: KafkaBusConfig): Record<string, unknown> {
  const pem = (text: string | undefined) => (text === undefined ? undefined : `PEM, ${Buffer.byteLength(text)} bytes`);
  return {
    brokers: [...cfg.brokers],
    clientId: cfg.clientId,
    tls: cfg.tls && {
      rejectUnauthorized: cfg.tls.rejectUnauthorized,
      ca: pem(cfg.tls.ca),
      cert: pem(cfg.tls.cert),
      key: cfg.tls.key === undefined ? undefined : REDACTED,
    },
    sasl: cfg.sasl && { mechanism: cfg.sasl.mechanism, username: cfg.sasl.username, password: REDACTED },
    connectionTimeoutMs: cfg.connectionTimeoutMs,
    requestTimeoutMs: cfg.requestTimeoutMs,
    retries: cfg.retries,
    initialRetryTimeMs: cfg.initialRetryTimeMs,
    topicPartitions: cfg.topicPartitions,
    replicationFactor: cfg.replicationFactor ?? 'min(3, brokers)',
    allowTopicCreation: cfg.allowTopicCreation,
    sessionTimeoutMs: cfg.sessionTimeoutMs,
    heartbeatIntervalMs: cfg.heartbeatIntervalMs,
    fetchMaxWaitMs: cfg.fetchMaxWaitMs,
    transactionTimeoutMs: cfg.transactionTimeoutMs,
  };
}

/** Values that must never reach a log line or an error message. */
export function kafkaSecrets(cfg: KafkaBusConfig): string[] {
  return [cfg.sasl?.password, cfg.tls?.key].filter((s): s is string => typeof s === 'string' && s.length > 0);
}

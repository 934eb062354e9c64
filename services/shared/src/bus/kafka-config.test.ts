import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { describeKafkaConfig, kafkaBusConfig, kafkaSecrets, type KafkaBusConfigInput } from './kafka-config.js';
import { kafkaConfigFromEnv } from './kafka-env.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEkeymaterial\n-----END PRIVATE KEY-----\n';

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('kafkaBusConfig', () => {
  it('fills the defaults', () => {
    expect(kafkaBusConfig({ brokers: ['k1:9092'] })).toEqual({
      brokers: ['k1:9092'],
      clientId: 'saferoads',
      tls: null,
      sasl: null,
      connectionTimeoutMs: 3_000,
      requestTimeoutMs: 30_000,
      retries: 5,
      initialRetryTimeMs: 300,
      topicPartitions: 6,
      replicationFactor: null,
      allowTopicCreation: false,
      sessionTimeoutMs: 30_000,
      heartbeatIntervalMs: 3_000,
      fetchMaxWaitMs: 1_000,
      transactionTimeoutMs: 60_000,
    });
  });

  it('names every bad field in one ConfigError', () => {
    const input = {
      brokers: ['k1:9092', 'k2', 'k3:99999', ':9092'],
      clientId: ' ',
      tls: { cert: CERT },
      sasl: { mechanism: 'gssapi', username: '', password: '' },
      connectionTimeoutMs: 0,
      requestTimeoutMs: 1.5,
      topicPartitions: 0,
      replicationFactor: 0,
      allowTopicCreation: 'yes',
      heartbeatIntervalMs: 40_000,
    } as unknown as KafkaBusConfigInput;
    expect(problemsOf(() => kafkaBusConfig(input))).toEqual([
      'brokers[1]: expected host:port with a port from 1 to 65535, got "k2"',
      'brokers[2]: expected host:port with a port from 1 to 65535, got "k3:99999"',
      'brokers[3]: expected host:port with a port from 1 to 65535, got ":9092"',
      'clientId: must be a non-empty string',
      'tls.key: is required with tls.cert (mutual TLS needs both)',
      'sasl.mechanism: must be one of plain, scram-sha-256, scram-sha-512, got "gssapi"',
      'sasl.username: is required with SASL gssapi',
      'sasl.password: is required with SASL gssapi',
      'replicationFactor: must be an integer from 1 to 32767, got 0',
      'allowTopicCreation: must be true or false, got "yes"',
      'heartbeatIntervalMs: must be below sessionTimeoutMs (30000), got 40000',
      'connectionTimeoutMs: must be an integer from 1 to 600000, got 0',
      'requestTimeoutMs: must be an integer from 1 to 600000, got 1.5',
      'topicPartitions: must be an integer from 1 to 10000, got 0',
    ]);
    expect(() => kafkaBusConfig(input)).toThrow(/^invalid kafka configuration: brokers\[1\]: expected host:port/);
  });

  it('refuses an empty broker list', () => {
    expect(problemsOf(() => kafkaBusConfig({ brokers: [] }))).toEqual(['brokers: must list at least one host:port']);
  });

  it('takes TLS material as PEM text or as file paths, and reads the files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-tls-'));
    writeFileSync(join(dir, 'ca.pem'), CA);
    writeFileSync(join(dir, 'client.key'), KEY);
    const cfg = kafkaBusConfig({ brokers: ['k1:9093'], tls: { ca: join(dir, 'ca.pem'), cert: CERT, key: join(dir, 'client.key') } });
    expect(cfg.tls).toEqual({ ca: CA, cert: CERT, key: KEY, rejectUnauthorized: true });
    expect(kafkaBusConfig({ brokers: ['k1:9093'], tls: true }).tls).toEqual({ rejectUnauthorized: true });
    expect(kafkaBusConfig({ brokers: ['k1:9093'], tls: false }).tls).toBeNull();
    // A validated configuration validates again to itself (the PEM text is kept, no file read).
    expect(kafkaBusConfig(cfg)).toEqual(cfg);
  });

  it('names unreadable or non-PEM TLS files, without ever echoing the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-tls-'));
    writeFileSync(join(dir, 'not-pem.txt'), 'hello');
    const secretLookingKey = 'c2VjcmV0LWtleS1ieXRlcw==';
    const problems = problemsOf(() => kafkaBusConfig({ brokers: ['k1:9093'], tls: { ca: join(dir, 'missing.pem'), cert: join(dir, 'not-pem.txt'), key: secretLookingKey } }));
    expect(problems).toEqual([
      `tls.ca: is not PEM text and the file "${join(dir, 'missing.pem')}" cannot be read (ENOENT)`,
      `tls.cert: file "${join(dir, 'not-pem.txt')}" holds no PEM data`,
      'tls.key: is not PEM text and the file cannot be read (ENOENT)',
    ]);
    expect(problems.join()).not.toContain(secretLookingKey);
  });

  it('never puts the SASL password in an error', () => {
    const err = (() => {
      try {
        kafkaBusConfig({ brokers: ['k1'], sasl: { mechanism: 'plain', username: 'svc', password: 'hunter2-secret' } });
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(err.message).toBe('invalid kafka configuration: brokers[0]: expected host:port with a port from 1 to 65535, got "k1"');
  });
});

describe('describeKafkaConfig', () => {
  it('redacts the password and the private key and summarises PEM texts', () => {
    const cfg = kafkaBusConfig({
      brokers: ['k1:9093'],
      tls: { ca: CA, cert: CERT, key: KEY },
      sasl: { mechanism: 'scram-sha-512', username: 'svc', password: 'hunter2-secret' },
    });
    const described = describeKafkaConfig(cfg);
    expect(described.tls).toEqual({ rejectUnauthorized: true, ca: `PEM, ${CA.length} bytes`, cert: `PEM, ${CERT.length} bytes`, key: '[redacted]' });
    expect(described.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'svc', password: '[redacted]' });
    expect(JSON.stringify(described)).not.toMatch(/hunter2|keymaterial/);
    expect(kafkaSecrets(cfg)).toEqual(['hunter2-secret', KEY]);
  });
});

describe('kafkaConfigFromEnv', () => {
  it('reads every variable', () => {
    const cfg = kafkaConfigFromEnv({
      KAFKA_BROKERS: ' k1:9093, k2:9093 ,,k3:9093',
      KAFKA_CLIENT_ID: 'saferoads-stats',
      KAFKA_SSL_CA: CA,
      KAFKA_SSL_CERT: CERT,
      KAFKA_SSL_KEY: KEY,
      KAFKA_SSL_REJECT_UNAUTHORIZED: 'false',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: 'hunter2-secret',
      KAFKA_TOPIC_PARTITIONS: '24',
      KAFKA_REPLICATION_FACTOR: '3',
      KAFKA_ALLOW_TOPIC_CREATION: 'true',
      KAFKA_CONNECTION_TIMEOUT_MS: '5000',
      KAFKA_REQUEST_TIMEOUT_MS: '20000',
      KAFKA_RETRIES: '8',
      KAFKA_RETRY_INITIAL_MS: '100',
      KAFKA_SESSION_TIMEOUT_MS: '45000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '5000',
      KAFKA_FETCH_MAX_WAIT_MS: '250',
      KAFKA_TRANSACTION_TIMEOUT_MS: '30000',
    });
    expect(cfg).toEqual({
      brokers: ['k1:9093', 'k2:9093', 'k3:9093'],
      clientId: 'saferoads-stats',
      tls: { ca: CA, cert: CERT, key: KEY, rejectUnauthorized: false },
      sasl: { mechanism: 'scram-sha-256', username: 'svc', password: 'hunter2-secret' },
      connectionTimeoutMs: 5_000,
      requestTimeoutMs: 20_000,
      retries: 8,
      initialRetryTimeMs: 100,
      topicPartitions: 24,
      replicationFactor: 3,
      allowTopicCreation: true,
      sessionTimeoutMs: 45_000,
      heartbeatIntervalMs: 5_000,
      fetchMaxWaitMs: 250,
      transactionTimeoutMs: 30_000,
    });
  });

  it('turns TLS on with KAFKA_SSL alone, and treats empty variables as unset', () => {
    const cfg = kafkaConfigFromEnv({ KAFKA_BROKERS: 'k1:9093', KAFKA_SSL: 'yes', KAFKA_CLIENT_ID: '', KAFKA_TOPIC_PARTITIONS: '' });
    expect(cfg.tls).toEqual({ rejectUnauthorized: true });
    expect(cfg.clientId).toBe('saferoads');
    expect(cfg.topicPartitions).toBe(6);
  });

  it('names each bad variable, parse and validation problems together', () => {
    expect(
      problemsOf(() =>
        kafkaConfigFromEnv({
          KAFKA_BROKERS: 'k1:9092,k2',
          KAFKA_SSL: 'false',
          KAFKA_SSL_CA: CA,
          KAFKA_SASL_USERNAME: 'svc',
          KAFKA_SASL_PASSWORD: 'hunter2-secret',
          KAFKA_TOPIC_PARTITIONS: 'many',
          KAFKA_ALLOW_TOPIC_CREATION: 'maybe',
          KAFKA_REPLICATION_FACTOR: '0',
        }),
      ),
    ).toEqual([
      'KAFKA_SSL: is false but KAFKA_SSL_CA is set',
      `KAFKA_SASL_MECHANISM: is required when KAFKA_SASL_USERNAME or KAFKA_SASL_PASSWORD is set`,
      'KAFKA_TOPIC_PARTITIONS: must be a whole number, got "many"',
      'KAFKA_ALLOW_TOPIC_CREATION: must be true or false, got "maybe"',
      'KAFKA_BROKERS[1]: expected host:port with a port from 1 to 65535, got "k2"',
      'KAFKA_REPLICATION_FACTOR: must be an integer from 1 to 32767, got 0',
    ]);
  });

  it('requires KAFKA_BROKERS and a password with a SASL mechanism', () => {
    expect(problemsOf(() => kafkaConfigFromEnv({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'svc' }))).toEqual([
      'KAFKA_BROKERS: must list at least one host:port',
      'KAFKA_SASL_PASSWORD: is required with SASL plain',
    ]);
  });
});

import type { Admin, KafkaConfig, SASLOptions } from 'kafkajs';
import { Kafka, Partitioners } from './kafkajs.js';
import { SaferoadsError, isRetriable } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';
import { retry } from '../retry.js';
import { describeKafkaConfig, kafkaBusConfig, kafkaSecrets, type KafkaBusConfig, type KafkaBusConfigInput, type KafkaSaslConfig } from './kafka-config.js';
import { randomUUID } from 'node:crypto';
import { GroupMember, KafkaConsumer, type KafkaConsumerOptions } from './kafka-consumer.js';
import { KafkaTableReader } from './kafka-table-reader.js';
import { KafkaTransactionalConsumer } from './kafka-transactional-consumer.js';
import { busError, isKafkaRetriable, isUnknownTopic } from './kafka-errors.js';
import { kafkaLogCreator, kafkaLogLevel } from './kafka-log.js';
import { KafkaProducer, KafkaTransactionalProducer } from './kafka-producer.js';
import type { Bus, BusConsumer, BusProducer, TableReader, TopicSpec, TransactionalConsumer, TransactionalConsumerOptions } from './port.js';

export interface KafkaBusOptions {
  /** Where the bus and kafkajs log; a `saferoads-kafka` logger on stderr by default. */
  readonly logger?: Logger;
}

interface Closable {
  close(): Promise<void>;
}

/** Retries of our own admin calls: kafkajs does not retry some of them (e.g. right after a topic is created). */
const ADMIN_RETRY = { attempts: 5, initialDelayMs: 100, maxDelayMs: 2_000, retryOn: isKafkaRetriable };

/**
 * The bus on Apache Kafka (kafkajs 2.2.4). Configuration is validated once, here. Producers are
 * idempotent with acks=-1; consumers commit a batch after its handler; see docs/kafka.md.
 */
export class KafkaBus implements Bus {
  readonly config: KafkaBusConfig;
  private readonly kafka: Kafka;
  private readonly log: Logger;
  private admin: Promise<Admin> | null = null;
  private readonly clients = new Set<Closable>();
  private closed = false;

  constructor(config: KafkaBusConfigInput, opts: KafkaBusOptions = {}) {
    this.config = kafkaBusConfig(config);
    const root = opts.logger ?? createLogger('saferoads-kafka');
    this.log = root.child({ component: 'kafka-bus' });
    const { tls, sasl } = this.config;
    if (sasl && !tls) this.log.warn({ mechanism: sasl.mechanism }, 'SASL without TLS: the credentials and all data cross the network unencrypted');
    const client: KafkaConfig = {
      clientId: this.config.clientId,
      brokers: [...this.config.brokers],
      ssl: tls ? { rejectUnauthorized: tls.rejectUnauthorized, ca: tls.ca, cert: tls.cert, key: tls.key } : false,
      ...(sasl && { sasl: saslOptions(sasl) }),
      connectionTimeout: this.config.connectionTimeoutMs,
      requestTimeout: this.config.requestTimeoutMs,
      retry: { retries: this.config.retries, initialRetryTime: this.config.initialRetryTimeMs },
      logLevel: kafkaLogLevel(root.level),
      logCreator: kafkaLogCreator(root, kafkaSecrets(this.config)),
    };
    this.kafka = new Kafka(client);
    this.log.debug({ config: describeKafkaConfig(this.config) }, 'Kafka bus configured');
  }

  /**
   * Makes sure every topic exists. Missing topics are created (partitions as given, replication
   * factor as given, else configured, else min(3, brokers)) only with allowTopicCreation;
   * otherwise this fails listing them. An existing topic is never changed.
   */
  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    for (const s of specs) {
      if (!(Number.isInteger(s.partitions) && s.partitions >= 1)) {
        throw new SaferoadsError('CONFIG_INVALID', `topic ${s.name}: partitions must be a positive integer, got ${s.partitions}`);
      }
    }
    const admin = await this.adminClient();
    const existing = new Set(await this.call('listing topics', () => admin.listTopics()));
    const missing = specs.filter((s) => !existing.has(s.name));
    await this.warnOnPartitionMismatch(specs.filter((s) => existing.has(s.name)));
    if (missing.length === 0) return;
    const names = missing.map((s) => s.name).join(', ');
    if (!this.config.allowTopicCreation) {
      throw new SaferoadsError(
        'BUS_UNAVAILABLE',
        `topics missing on the Kafka cluster: ${names}. Create them, or allow Saferoads to (allowTopicCreation, KAFKA_ALLOW_TOPIC_CREATION=true)`,
      );
    }
    const clusterBrokers = (await this.call('describing the cluster', () => admin.describeCluster())).brokers.length;
    const topics = missing.map((s) => {
      const replicationFactor = s.replicationFactor ?? this.config.replicationFactor ?? Math.min(3, clusterBrokers);
      // With acks=-1, a write then survives the loss of one replica (two, from 5 replicas on).
      const minInSync = Math.max(1, replicationFactor - (replicationFactor >= 5 ? 2 : 1));
      // LogAppendTime: retention counts from when a record was written, not from the event time
      // its producer gave it; a backfill of last year's detections would otherwise be deleted at once.
      const configEntries = Object.entries({ 'min.insync.replicas': String(minInSync), 'message.timestamp.type': 'LogAppendTime', ...s.config }).map(([name, value]) => ({
        name,
        value,
      }));
      return { topic: s.name, numPartitions: s.partitions, replicationFactor, configEntries };
    });
    await this.call(`creating topics ${names}`, () => admin.createTopics({ topics, waitForLeaders: true }));
    this.log.info({ topics: topics.map((t) => ({ name: t.topic, partitions: t.numPartitions, replicationFactor: t.replicationFactor })) }, 'created topics');
  }

  /** Topic specs with this deployment's partition count and replication factor. */
  topicSpecs(names: readonly string[]): TopicSpec[] {
    const rf = this.config.replicationFactor;
    return names.map((name) => ({ name, partitions: this.config.topicPartitions, ...(rf !== null && { replicationFactor: rf }) }));
  }

  async partitionsOf(topic: string): Promise<number> {
    const admin = await this.adminClient();
    try {
      const meta = await retry(() => admin.fetchTopicMetadata({ topics: [topic] }), { ...ADMIN_RETRY, retryOn: (e) => isKafkaRetriable(e) && !isUnknownTopic(e) });
      return meta.topics[0].partitions.length;
    } catch (err) {
      // Said as the in-process bus says it: a deployment error, not a passing one.
      if (isUnknownTopic(err)) throw new SaferoadsError('BUS_UNAVAILABLE', `unknown topic ${topic}: create it with ensureTopics first`, { cause: err });
      throw busError(`reading metadata of topic ${topic}`, err);
    }
  }

  /** Per partition, the next offset the group reads (null: it has committed nothing there). */
  async committedOffsets(groupId: string, topic: string): Promise<(number | null)[]> {
    const admin = await this.adminClient();
    const [t] = await this.call(`reading offsets of group ${groupId}`, () => admin.fetchOffsets({ groupId, topics: [topic] }));
    const out: (number | null)[] = [];
    for (const p of t.partitions) out[p.partition] = Number(p.offset) < 0 ? null : Number(p.offset);
    return out;
  }

  /** Per partition, the offset the next record will get (the high watermark). */
  async endOffsets(topic: string): Promise<number[]> {
    const admin = await this.adminClient();
    const parts = await this.call(
      `reading end offsets of ${topic}`,
      (attempt) => (attempt === 1 ? topicOffsets(admin, topic) : this.withFreshAdmin((fresh) => topicOffsets(fresh, topic))),
      (e) => isKafkaRetriable(e) || isRetriable(e),
    );
    const out: number[] = [];
    for (const p of parts) out[p.partition] = Number(p.high);
    return out;
  }

  producer(): BusProducer {
    this.assertOpen();
    return this.track(
      new KafkaProducer(
        // One request in flight per broker keeps keyed order across retries (kafkajs' idempotence needs it).
        this.kafka.producer({
          idempotent: true,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
          createPartitioner: Partitioners.DefaultPartitioner,
          retry: { retries: this.idempotentRetries() },
        }),
      ),
    );
  }

  /** A producer whose records and consumer offsets commit atomically (exactly-once processing). */
  transactionalProducer(transactionalId: string): KafkaTransactionalProducer {
    this.assertOpen();
    const producer = this.kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: this.config.transactionTimeoutMs,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      // A transaction that starts while the broker still writes the last one's markers gets
      // CONCURRENT_TRANSACTIONS; a short first backoff makes back-to-back transactions ~6x faster.
      retry: { initialRetryTime: 50, retries: this.idempotentRetries() },
    });
    return this.track(new KafkaTransactionalProducer(transactionalId, producer));
  }

  consumer(opts: KafkaConsumerOptions): BusConsumer {
    this.assertOpen();
    const c = new KafkaConsumer(this.kafkaConsumer(opts.groupId, opts.isolation === 'read_uncommitted'), opts, this.config.heartbeatIntervalMs, this.log);
    this.clients.add({ close: () => c.stop() });
    return c;
  }

  /** Exactly-once processing: see KafkaTransactionalConsumer. Reads read_committed. */
  transactionalConsumer(opts: TransactionalConsumerOptions): TransactionalConsumer {
    this.assertOpen();
    const member = new GroupMember(this.kafkaConsumer(opts.groupId, false), opts, this.config.heartbeatIntervalMs, this.log);
    const c = new KafkaTransactionalConsumer(member, opts, (id) => this.transactionalProducer(id), this.log);
    this.clients.add({ close: () => c.stop() });
    return c;
  }

  /** Reads every partition of `topic`, in a consumer group of its own that never commits. */
  tableReader(topic: string): TableReader {
    this.assertOpen();
    const consumer = this.kafka.consumer({
      groupId: `${this.config.clientId}.table.${topic}.${randomUUID()}`,
      sessionTimeout: this.config.sessionTimeoutMs,
      heartbeatInterval: this.config.heartbeatIntervalMs,
      maxWaitTimeInMs: this.config.fetchMaxWaitMs,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      // A checkpoint can be megabytes: fetch it whole.
      maxBytesPerPartition: 64 * 1024 * 1024,
      maxBytes: 128 * 1024 * 1024,
    });
    const reader = new KafkaTableReader(consumer, { topic, endOffsets: () => this.endOffsets(topic), catchUpTimeoutMs: Math.max(30_000, this.config.requestTimeoutMs), log: this.log });
    return this.track(reader);
  }

  /** Stops every consumer (committing its current batch), closes every producer, then the admin client. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const results = await Promise.allSettled([...this.clients].map((c) => c.close()));
    for (const r of results) if (r.status === 'rejected') this.log.warn({ err: r.reason }, 'closing a Kafka client failed');
    if (this.admin) await (await this.admin.catch(() => null))?.disconnect();
  }

  private kafkaConsumer(groupId: string, readUncommitted: boolean) {
    return this.kafka.consumer({
      groupId,
      sessionTimeout: this.config.sessionTimeoutMs,
      heartbeatInterval: this.config.heartbeatIntervalMs,
      maxWaitTimeInMs: this.config.fetchMaxWaitMs,
      readUncommitted,
      allowAutoTopicCreation: false,
    });
  }

  /** kafkajs refuses an idempotent producer without retries: it needs them to keep sequence numbers in step. */
  private idempotentRetries(): number {
    return Math.max(1, this.config.retries);
  }

  private adminClient(): Promise<Admin> {
    this.assertOpen();
    this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((err: unknown) => {
      this.admin = null;
      throw busError('connecting the Kafka admin client', err);
    });
    return this.admin;
  }

  private async warnOnPartitionMismatch(specs: readonly TopicSpec[]): Promise<void> {
    for (const s of specs) {
      const actual = await this.partitionsOf(s.name);
      // Never repartitioned here: that would move keys (and their window state) to other partitions.
      if (actual !== s.partitions) this.log.warn({ topic: s.name, wanted: s.partitions, actual }, 'topic exists with another partition count; using it as it is');
    }
  }

  /** A client of its own, with metadata fetched afresh (kafkajs keeps a topic's metadata up to five minutes). */
  private async withFreshAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await fn(admin);
    } finally {
      await admin.disconnect();
    }
  }

  private async call<T>(what: string, fn: (attempt: number) => Promise<T>, retryOn = ADMIN_RETRY.retryOn): Promise<T> {
    try {
      return await retry(fn, { ...ADMIN_RETRY, retryOn });
    } catch (err) {
      throw busError(what, err);
    }
  }

  private track<T extends Closable>(client: T): T {
    this.clients.add(client);
    return client;
  }

  private assertOpen(): void {
    if (this.closed) throw new SaferoadsError('BUS_CLOSED', 'the Kafka bus is closed');
  }
}

function saslOptions(s: KafkaSaslConfig): SASLOptions {
  const { username, password } = s;
  switch (s.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

/**
 * admin.fetchTopicOffsets, with its one unclassified failure made retriable: for a topic whose
 * partition metadata the client does not have yet (just created, or a leader being elected),
 * kafkajs 2.2.4 asks no broker and then fails on the empty answer with a TypeError it does not
 * retry (admin/index.js, `low.pop()`), and keeps that metadata until it expires. Asking again
 * with fresh metadata (endOffsets' later attempts use a new client) answers it.
 */
async function topicOffsets(admin: Admin, topic: string): Promise<Awaited<ReturnType<Admin['fetchTopicOffsets']>>> {
  try {
    return await admin.fetchTopicOffsets(topic);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    throw new SaferoadsError('BUS_UNAVAILABLE', `no partition metadata for ${topic} yet`, { cause: err, retriable: true });
  }
}

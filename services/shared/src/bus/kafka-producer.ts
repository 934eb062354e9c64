import type { Producer, Transaction } from 'kafkajs';
import { SaferoadsError } from '../errors.js';
import { retry } from '../retry.js';
import { busError, isKafkaRetriable } from './kafka-errors.js';
import { toKafkaMessage, toTopicOffsets, type NextOffset } from './kafka-records.js';
import { MAX_SEND_BYTES, chunkBySize } from './chunk.js';
import type { BusProducer, BusRecord, OutputRecords } from './port.js';

/** Enough for the previous transaction's markers to be written (a few ms to some 100 ms). */
const SEND_OFFSETS_RETRY = { attempts: 10, initialDelayMs: 20, maxDelayMs: 1_000, retryOn: isKafkaRetriable };

/** acks=-1: a send resolves once every in-sync replica has the records. */
const ALL_IN_SYNC_REPLICAS = -1;

/** Connects once, on first use, so building a producer never blocks; a failed connect is tried again. */
class Connection {
  private connecting: Promise<void> | null = null;
  private closed = false;

  constructor(
    readonly producer: Producer,
    private readonly what: string,
  ) {}

  async ready(): Promise<void> {
    if (this.closed) throw new SaferoadsError('BUS_CLOSED', `${this.what} is closed`);
    this.connecting ??= this.producer.connect().catch((err: unknown) => {
      this.connecting = null;
      throw busError(`connecting ${this.what}`, err);
    });
    await this.connecting;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.connecting) await this.producer.disconnect();
  }
}

/** The bus producer on Kafka: idempotent (no duplicates from its own retries), acks from all in-sync replicas. */
export class KafkaProducer implements BusProducer {
  private readonly conn: Connection;

  constructor(producer: Producer) {
    this.conn = new Connection(producer, 'the Kafka producer');
  }

  async send(topic: string, records: readonly BusRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.conn.ready();
    try {
      for (const chunk of chunkBySize(records, MAX_SEND_BYTES)) await this.conn.producer.send({ topic, messages: chunk.map(toKafkaMessage), acks: ALL_IN_SYNC_REPLICAS });
    } catch (err) {
      throw busError(`sending ${records.length} records to ${topic}`, err);
    }
  }

  close(): Promise<void> {
    return this.conn.close();
  }
}

/**
 * A transactional producer: records sent and consumer offsets given between begin() and commit()
 * become visible to read_committed consumers together, or (after abort()) never. One transaction
 * at a time. A newer producer with the same transactional id fences this one: its next call
 * fails with a non-retriable BUS_UNAVAILABLE error.
 */
export class KafkaTransactionalProducer {
  private readonly conn: Connection;
  private tx: Transaction | null = null;
  /** Set when a commit or abort failed: kafkajs cannot go on with this producer after that. */
  private broken: string | null = null;

  constructor(
    readonly transactionalId: string,
    producer: Producer,
  ) {
    this.conn = new Connection(producer, `the transactional producer ${transactionalId}`);
  }

  get inTransaction(): boolean {
    return this.tx !== null;
  }

  /**
   * Registers the transactional id with the broker now rather than at the first begin(): an
   * older producer with the same id is fenced, and its open transaction aborted, by the time this
   * resolves.
   */
  async init(): Promise<void> {
    await this.conn.ready();
  }

  async begin(): Promise<void> {
    if (this.broken) throw this.stateError(`${this.broken}: close this producer and create a new one with the same transactional id, which aborts the open transaction`);
    if (this.tx) throw this.stateError('a transaction is already open: commit or abort it first');
    await this.conn.ready();
    try {
      this.tx = await this.conn.producer.transaction();
    } catch (err) {
      throw busError(`beginning a transaction of ${this.transactionalId}`, err);
    }
  }

  async send(topic: string, records: readonly BusRecord[]): Promise<void> {
    const tx = this.open('send');
    if (records.length === 0) return;
    try {
      for (const chunk of chunkBySize(records, MAX_SEND_BYTES)) await tx.send({ topic, messages: chunk.map(toKafkaMessage), acks: ALL_IN_SYNC_REPLICAS });
    } catch (err) {
      throw busError(`sending ${records.length} records to ${topic} in a transaction of ${this.transactionalId}`, err);
    }
  }

  /** Sends records for several topics in one request. */
  async sendAll(outputs: readonly OutputRecords[]): Promise<void> {
    const tx = this.open('sendAll');
    // One request per round, each topic's next chunk in it: a record batch over the broker's
    // message.max.bytes (1 MB by default) is refused whole, and kafkajs does not split one.
    const chunks = outputs.filter((o) => o.records.length > 0).map((o) => ({ topic: o.topic, chunks: chunkBySize(o.records, MAX_SEND_BYTES) }));
    if (chunks.length === 0) return;
    try {
      for (let round = 0; chunks.some((c) => c.chunks.length > round); round++) {
        const request = chunks.filter((c) => c.chunks.length > round).map((c) => ({ topic: c.topic, messages: c.chunks[round].map(toKafkaMessage) }));
        await tx.sendBatch({ topicMessages: request, acks: ALL_IN_SYNC_REPLICAS });
      }
    } catch (err) {
      const n = outputs.reduce((sum, o) => sum + o.records.length, 0);
      throw busError(`sending ${n} records to ${chunks.map((c) => c.topic).join(', ')} in a transaction of ${this.transactionalId}`, err);
    }
  }

  /** Commits the group's offsets (each the next offset to read) with this transaction. */
  async sendOffsets(consumerGroupId: string, offsets: readonly NextOffset[]): Promise<void> {
    const tx = this.open('sendOffsets');
    if (offsets.length === 0) return;
    try {
      // kafkajs does not retry AddOffsetsToTxn, which answers CONCURRENT_TRANSACTIONS while the
      // broker still writes the previous transaction's markers. Sending the offsets again is safe.
      await retry(() => tx.sendOffsets({ consumerGroupId, topics: toTopicOffsets(offsets) }), SEND_OFFSETS_RETRY);
    } catch (err) {
      throw busError(`adding offsets of group ${consumerGroupId} to a transaction of ${this.transactionalId}`, err);
    }
  }

  /**
   * After a failed commit (kafkajs has already retried what it could, e.g. when fenced by a newer
   * producer) this producer is done: close it; a new one with the same id aborts the transaction.
   */
  async commit(): Promise<void> {
    const tx = this.open('commit');
    this.tx = null;
    try {
      await tx.commit();
    } catch (err) {
      this.broken = 'a commit failed';
      throw busError(`committing a transaction of ${this.transactionalId}`, err);
    }
  }

  async abort(): Promise<void> {
    const tx = this.open('abort');
    this.tx = null;
    try {
      await tx.abort();
    } catch (err) {
      this.broken = 'an abort failed';
      throw busError(`aborting a transaction of ${this.transactionalId}`, err);
    }
  }

  /** Aborts an open transaction, so read_committed consumers need not wait for its timeout, then disconnects. */
  async close(): Promise<void> {
    try {
      // Best effort: if the abort fails, the broker aborts the transaction when it times out
      // or when the next producer with this id starts.
      if (this.tx) await this.abort().catch(() => undefined);
    } finally {
      await this.conn.close();
    }
  }

  private open(op: string): Transaction {
    if (!this.tx) throw this.stateError(`${op}() needs an open transaction: call begin() first`);
    return this.tx;
  }

  private stateError(message: string): SaferoadsError {
    return new SaferoadsError('STATE_INVARIANT', `transactional producer ${this.transactionalId}: ${message}`);
  }
}

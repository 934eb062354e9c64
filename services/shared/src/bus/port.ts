/**
 * The bus port: what stage code needs from a log-structured message bus. Two implementations:
 * in-process (embedded default, tests) and Kafka. Stage code never knows which it runs on.
 */
export interface BusRecord {
  readonly key: string | null;
  readonly value: string;
  /** Event time of the record in epoch ms, when it has one. */
  readonly timestamp?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Where it goes, when not where its key hashes to (a checkpoint beside its input partition). */
  readonly partition?: number;
}

export interface ConsumedRecord extends BusRecord {
  readonly offset: number;
}

export interface ConsumedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly ConsumedRecord[];
  /** The partition's end offset when the batch was read: the reader is caught up once past it. */
  readonly highWatermark?: number;
}

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor?: number;
  /** Topic-level settings as Kafka names them (`cleanup.policy`, `max.message.bytes`, ...); the in-process bus honours `cleanup.policy=compact`. */
  readonly config?: Readonly<Record<string, string>>;
}

export interface BusProducer {
  /** Resolves once the bus has every record (for Kafka: acknowledged by all in-sync replicas). */
  send(topic: string, records: readonly BusRecord[]): Promise<void>;
  close(): Promise<void>;
}

export interface ConsumerHooks {
  onAssign?(topic: string, partitions: readonly number[]): void | Promise<void>;
  onRevoke?(topic: string, partitions: readonly number[]): void | Promise<void>;
}

export interface BusConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a group with no committed offset starts. */
  readonly fromBeginning?: boolean;
}

export interface BusConsumer {
  /**
   * Delivers batches until stop(); each partition's batches in order, one at a time. The offsets
   * of a batch are committed after its handler resolves.
   */
  run(handler: (batch: ConsumedBatch) => Promise<void>, hooks?: ConsumerHooks): Promise<void>;
  stop(): Promise<void>;
}

/** Records for one topic, published together. */
export interface OutputRecords {
  readonly topic: string;
  readonly records: readonly BusRecord[];
}

export interface TransactionalHooks {
  /**
   * The member now owns these partitions (again: after any rebalance every partition is handed
   * over afresh, with what was processed but not committed thrown away). Restores their state and
   * answers, per partition, the offset reading resumes at (absent: the group's committed offset).
   */
  onAssign(topic: string, partitions: readonly number[]): Promise<ReadonlyMap<number, number>>;
  /** The member no longer owns these partitions: drop their state, commit nothing more for them. */
  onRevoke(topic: string, partitions: readonly number[]): Promise<void>;
}

export interface TransactionalConsumerOptions extends BusConsumerOptions {
  /** Names the producers that commit for each input partition (Kafka: `<prefix>-<topic>-<partition>`). */
  readonly transactionalIdPrefix?: string;
}

/**
 * Consume-process-produce with exactly-once results. Nothing is committed by itself: the
 * processor calls commit(), which publishes its outputs and moves the group's position of one
 * input partition in one atomic step, so a crash leaves either both or neither. Readers see the
 * outputs only once committed (Kafka: read_committed).
 */
export interface TransactionalConsumer {
  run(handler: (batch: ConsumedBatch) => Promise<void>, hooks: TransactionalHooks): Promise<void>;
  /**
   * Publishes `outputs` and commits `nextOffset` as the group's position of the input partition,
   * atomically. For an owned partition only, one commit at a time per partition. A commit that
   * fails (the partition was taken over, the bus is gone) rejects; a handler that lets it
   * through stops the consumer, as any handler error does.
   */
  commit(topic: string, partition: number, outputs: readonly OutputRecords[], nextOffset: number): Promise<void>;
  /**
   * Wall time of the last successful read from the bus (records or none), null before the first:
   * a processor tells an idle input from an unreachable bus by it.
   */
  lastFetchAtMs(): number | null;
  stop(): Promise<void>;
}

/**
 * The newest committed record of each partition of a topic (a compacted changelog or checkpoint
 * topic), read by every instance whatever group it is in.
 */
export interface TableReader {
  /** The newest committed record of `partition` as of now (everything committed before the call), or null. */
  latest(partition: number): Promise<ConsumedRecord | null>;
  close(): Promise<void>;
}

export interface Bus {
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  partitionsOf(topic: string): Promise<number>;
  producer(): BusProducer;
  consumer(opts: BusConsumerOptions): BusConsumer;
  transactionalConsumer(opts: TransactionalConsumerOptions): TransactionalConsumer;
  tableReader(topic: string): TableReader;
  close(): Promise<void>;
}

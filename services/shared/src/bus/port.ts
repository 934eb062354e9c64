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
}

export interface ConsumedRecord extends BusRecord {
  readonly offset: number;
}

export interface ConsumedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly ConsumedRecord[];
}

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor?: number;
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

export interface Bus {
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  partitionsOf(topic: string): Promise<number>;
  producer(): BusProducer;
  consumer(opts: BusConsumerOptions): BusConsumer;
  close(): Promise<void>;
}

import { SaferoadsError } from '../errors.js';
import { partitionFor } from './partitioner.js';
import type {
  Bus,
  BusConsumer,
  BusConsumerOptions,
  BusProducer,
  BusRecord,
  ConsumedBatch,
  ConsumedRecord,
  ConsumerHooks,
  OutputRecords,
  TableReader,
  TopicSpec,
  TransactionalConsumer,
  TransactionalConsumerOptions,
  TransactionalHooks,
} from './port.js';

/** Stands in the log for a record compaction removed: offsets stay consecutive, readers skip it. */
const COMPACTED: ConsumedRecord = Object.freeze({ key: null, value: '', offset: -1 });

interface PartitionLog {
  /** Offset of records[0]; earlier records were trimmed once every group had committed past them. */
  base: number;
  records: ConsumedRecord[];
  /** For a compacted topic: where each key's newest record is in `records`. */
  newest?: Map<string, number>;
}

interface Topic {
  readonly name: string;
  readonly partitions: PartitionLog[];
}

/** The records of a log slice that compaction has not removed. */
const live = (records: readonly ConsumedRecord[]) => (records.includes(COMPACTED) ? records.filter((r) => r !== COMPACTED) : records);

export interface InProcessBusOptions {
  /** Records per partition kept for consumers that have not read them; older ones are dropped. */
  readonly maxRetainedPerPartition?: number;
  /** Largest batch handed to a consumer handler. */
  readonly maxBatch?: number;
}

/**
 * An in-process bus with Kafka's semantics where stages depend on them: topics with partitions,
 * keyed partitioning (Kafka's murmur2), per-partition order, consumer groups with committed
 * offsets. One consumer per group: the embedded pipeline runs one instance of each stage.
 */
export class InProcessBus implements Bus {
  private readonly topics = new Map<string, Topic>();
  private readonly committed = new Map<string, Map<string, number[]>>(); // group -> topic -> next offset per partition
  private readonly waiters = new Set<() => void>();
  private closed = false;
  private readonly maxRetained: number;
  readonly maxBatch: number;

  constructor(opts: InProcessBusOptions = {}) {
    this.maxRetained = opts.maxRetainedPerPartition ?? 1_000_000;
    this.maxBatch = opts.maxBatch ?? 5_000;
  }

  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    for (const s of specs) {
      if (!(Number.isInteger(s.partitions) && s.partitions >= 1)) {
        throw new SaferoadsError('CONFIG_INVALID', `topic ${s.name}: partitions must be a positive integer, got ${s.partitions}`);
      }
      if (!this.topics.has(s.name)) {
        const compacted = s.config?.['cleanup.policy']?.split(',').includes('compact') ?? false;
        const partitions = Array.from({ length: s.partitions }, (): PartitionLog => ({ base: 0, records: [], ...(compacted && { newest: new Map() }) }));
        this.topics.set(s.name, { name: s.name, partitions });
      }
    }
  }

  async partitionsOf(topic: string): Promise<number> {
    return this.topic(topic).partitions.length;
  }

  producer(): BusProducer {
    return {
      send: async (topic, records) => this.append(topic, records),
      close: async () => undefined,
    };
  }

  consumer(opts: BusConsumerOptions): BusConsumer {
    return new InProcessConsumer(this, opts);
  }

  transactionalConsumer(opts: TransactionalConsumerOptions): TransactionalConsumer {
    return new InProcessTransactionalConsumer(this, opts);
  }

  tableReader(topic: string): TableReader {
    return {
      latest: async (partition) => {
        const log = this.topic(topic).partitions[partition];
        if (!log) throw new SaferoadsError('STATE_INVARIANT', `topic ${topic} has no partition ${partition}`);
        for (let i = log.records.length - 1; i >= 0; i--) if (log.records[i] !== COMPACTED) return log.records[i];
        return null;
      },
      close: async () => undefined,
    };
  }

  /**
   * @internal Appends every output and commits the group's position in one synchronous step: no
   * reader can see one without the other.
   */
  commitTransaction(group: string, topic: string, partition: number, outputs: readonly OutputRecords[], nextOffset: number): void {
    if (this.closed) throw new SaferoadsError('BUS_CLOSED', 'the in-process bus is closed');
    for (const o of outputs) this.topic(o.topic);
    for (const o of outputs) this.append(o.topic, o.records);
    this.commit(group, topic, partition, nextOffset);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
  }

  /** Per partition, the offset the next record will get. */
  async endOffsets(topic: string): Promise<number[]> {
    return this.topic(topic).partitions.map((log) => log.base + log.records.length);
  }

  /** Records of `topic` the group has not committed yet. */
  async lag(group: string, topic: string): Promise<number> {
    const pos = this.position(group, topic, true);
    return this.topic(topic).partitions.reduce((n, log, p) => n + log.base + log.records.length - pos[p], 0);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** @internal */
  topic(name: string): Topic {
    const t = this.topics.get(name);
    if (!t) throw new SaferoadsError('BUS_UNAVAILABLE', `unknown topic ${name}: create it with ensureTopics first`);
    return t;
  }

  /** @internal next offset to read for a group, per partition */
  position(group: string, topic: string, fromBeginning: boolean): number[] {
    let byTopic = this.committed.get(group);
    if (!byTopic) this.committed.set(group, (byTopic = new Map()));
    let pos = byTopic.get(topic);
    if (!pos) {
      const t = this.topic(topic);
      pos = t.partitions.map((p) => (fromBeginning ? p.base : p.base + p.records.length));
      byTopic.set(topic, pos);
    }
    return pos;
  }

  /** @internal */
  commit(group: string, topic: string, partition: number, nextOffset: number): void {
    this.position(group, topic, true)[partition] = nextOffset;
    this.trim(topic, partition);
  }

  /** @internal resolves when records arrive or the bus closes */
  waitForRecords(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.add(resolve);
    });
  }

  private append(topicName: string, records: readonly BusRecord[]): void {
    if (this.closed) throw new SaferoadsError('BUS_CLOSED', 'the in-process bus is closed');
    const t = this.topic(topicName);
    const n = t.partitions.length;
    for (const r of records) {
      const p = r.partition ?? (r.key === null ? 0 : partitionFor(r.key, n));
      const log = t.partitions[p];
      if (!log) throw new SaferoadsError('STATE_INVARIANT', `topic ${topicName} has no partition ${p}`);
      const { partition: _partition, ...record } = r;
      if (log.newest && r.key !== null) {
        const previous = log.newest.get(r.key);
        if (previous !== undefined && previous >= 0) log.records[previous] = COMPACTED;
        log.newest.set(r.key, log.records.length);
      }
      log.records.push({ ...record, offset: log.base + log.records.length });
      if (log.records.length > this.maxRetained) this.drop(log, log.records.length - this.maxRetained);
    }
    this.wake();
  }

  private trim(topicName: string, partition: number): void {
    let min = Number.POSITIVE_INFINITY;
    for (const byTopic of this.committed.values()) {
      const pos = byTopic.get(topicName);
      if (pos) min = Math.min(min, pos[partition]);
    }
    const log = this.topic(topicName).partitions[partition];
    // A compacted topic is a table: its newest records stay, read or not (compaction bounds it).
    if (log.newest) return;
    if (Number.isFinite(min) && min > log.base) this.drop(log, Math.min(min - log.base, log.records.length));
  }

  private drop(log: PartitionLog, n: number): void {
    log.records.splice(0, n);
    log.base += n;
    if (log.newest) for (const [key, i] of log.newest) log.newest.set(key, i - n);
  }

  private wake(): void {
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) w();
  }
}

type Handler = (batch: ConsumedBatch) => Promise<void>;

/**
 * A consumer's life on the in-process bus: the delivery loop and stopping. Where each partition is
 * read from, and what follows a batch (a commit, or only a move of the position), is the subclass's.
 */
abstract class InProcessMember {
  protected stopped = false;
  private running: Promise<void> | null = null;
  private signalStop: () => void = () => undefined;
  private readonly stopSignal = new Promise<void>((resolve) => {
    this.signalStop = resolve;
  });

  constructor(protected readonly bus: InProcessBus) {}

  async stop(): Promise<void> {
    this.stopped = true;
    this.signalStop();
    await this.running;
  }

  protected started(loop: Promise<void>): Promise<void> {
    this.running = loop;
    return loop;
  }

  protected partitionsOf(topic: string): number[] {
    return this.bus.topic(topic).partitions.map((_, i) => i);
  }

  /** Hands out batches until stopped: each partition from `positions(topic)`, then `after` with the next offset. */
  protected async deliver(topics: readonly string[], handler: Handler, positions: (topic: string) => readonly number[], after: (topic: string, partition: number, next: number) => void): Promise<void> {
    while (!this.stopped && !this.bus.isClosed) {
      let delivered = false;
      for (const t of topics) {
        const topic = this.bus.topic(t);
        const pos = positions(t);
        for (let p = 0; p < topic.partitions.length && !this.stopped; p++) {
          const log = topic.partitions[p];
          const from = Math.max(pos[p], log.base) - log.base;
          if (from >= log.records.length) continue;
          const slice = log.records.slice(from, from + this.bus.maxBatch);
          // Taken before the handler runs: a commit meanwhile may trim the log and move its base.
          const next = log.base + from + slice.length;
          const records = live(slice);
          if (records.length) await handler({ topic: t, partition: p, records, highWatermark: log.base + log.records.length });
          after(t, p, next);
          delivered = true;
        }
      }
      if (!delivered && !this.stopped) await Promise.race([this.bus.waitForRecords(), this.stopSignal]);
    }
  }
}

class InProcessConsumer extends InProcessMember implements BusConsumer {
  constructor(
    bus: InProcessBus,
    private readonly opts: BusConsumerOptions,
  ) {
    super(bus);
  }

  run(handler: Handler, hooks: ConsumerHooks = {}): Promise<void> {
    const { groupId, topics } = this.opts;
    return this.started(
      (async () => {
        for (const t of topics) await hooks.onAssign?.(t, this.partitionsOf(t));
        await this.deliver(
          topics,
          handler,
          (t) => this.bus.position(groupId, t, this.opts.fromBeginning ?? false),
          (t, p, next) => this.bus.commit(groupId, t, p, next),
        );
        for (const t of topics) await hooks.onRevoke?.(t, this.partitionsOf(t));
      })(),
    );
  }
}

/**
 * The transactional consumer on the in-process bus: positions are the consumer's own until
 * commit(), which publishes and commits in one step (see InProcessBus.commitTransaction).
 */
class InProcessTransactionalConsumer extends InProcessMember implements TransactionalConsumer {
  /** Next offset to read, per topic and partition. */
  private readonly positions = new Map<string, number[]>();

  constructor(
    bus: InProcessBus,
    private readonly opts: TransactionalConsumerOptions,
  ) {
    super(bus);
  }

  run(handler: Handler, hooks: TransactionalHooks): Promise<void> {
    const { groupId, topics } = this.opts;
    return this.started(
      (async () => {
        for (const t of topics) {
          const all = this.partitionsOf(t);
          const resume = await hooks.onAssign(t, all);
          const committed = this.bus.position(groupId, t, this.opts.fromBeginning ?? false);
          this.positions.set(
            t,
            all.map((p) => resume.get(p) ?? committed[p]),
          );
        }
        await this.deliver(
          topics,
          handler,
          (t) => this.positions.get(t) as number[],
          (t, p, next) => {
            (this.positions.get(t) as number[])[p] = next;
          },
        );
        for (const t of topics) await hooks.onRevoke(t, this.partitionsOf(t));
        this.positions.clear();
      })(),
    );
  }

  /** The in-process bus is always reachable. */
  lastFetchAtMs(): number {
    return Date.now();
  }

  async commit(topic: string, partition: number, outputs: readonly OutputRecords[], nextOffset: number): Promise<void> {
    if (!this.positions.has(topic)) throw new SaferoadsError('STATE_INVARIANT', `commit for ${topic}[${partition}], which this consumer does not own`);
    this.bus.commitTransaction(this.opts.groupId, topic, partition, outputs, nextOffset);
  }
}

import type { Consumer, EachBatchPayload, IMemberAssignment } from 'kafkajs';
import { SaferoadsError } from '../errors.js';
import type { Logger } from '../logger.js';
import { backoffDelay, retry } from '../retry.js';
import { busError, isBrokerOutage, isKafkaRetriable, isRebalanceError } from './kafka-errors.js';
import { fromKafkaMessage } from './kafka-records.js';
import type { BusConsumer, BusConsumerOptions, ConsumedBatch, ConsumerHooks } from './port.js';

export type KafkaIsolation = 'read_committed' | 'read_uncommitted';

export interface KafkaConsumerOptions extends BusConsumerOptions {
  /**
   * read_committed (the default): records of open or aborted transactions are never delivered.
   * read_uncommitted: everything written, as soon as it is written.
   */
  readonly isolation?: KafkaIsolation;
}

type Handler = (batch: ConsumedBatch) => Promise<void>;

/** Partitions owned, by topic. */
export type Assignment = ReadonlyMap<string, ReadonlySet<number>>;

/** What a group member does after each batch and at each group join: the auto-commit or the transactional way. */
export interface MemberPolicy {
  /** After the handler resolved: commit the batch, or only move the position on. */
  afterBatch(payload: EachBatchPayload): Promise<void>;
  /** After a group join (or leaving the group: `after` empty), before any batch is handled. */
  handOver(before: Assignment, after: Assignment): Promise<void>;
}

/**
 * One kafkajs consumer's life in its group (eachBatch, auto-commit off): per partition one batch
 * at a time, in offset order. A handler, policy or hand-over that throws stops the consumer and
 * run() rejects with its error: the batch is read again by whoever owns the partition next.
 */
export class GroupMember {
  private started = false;
  private finished: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;
  private requestStop: () => void = () => undefined;
  private readonly stopRequested = new Promise<void>((resolve) => {
    this.requestStop = resolve;
  });
  /** Partitions this member owns, by topic, as of the last group join. */
  private assigned: Assignment = new Map();
  /** Hand-overs run in order, and every batch waits for those before it. */
  private hooks: Promise<void> = Promise.resolve();
  private lastFetchMs: number | null = null;
  private stopping = false;
  /** Restarts after a broker outage since the last answered fetch: the backoff grows with them. */
  private outageRestarts = 0;
  private restarting: Promise<void> = Promise.resolve();

  constructor(
    readonly consumer: Consumer,
    private readonly opts: BusConsumerOptions,
    private readonly heartbeatIntervalMs: number,
    private readonly log: Logger,
  ) {}

  get owned(): Assignment {
    return this.assigned;
  }

  /** Wall time of the last fetch the broker answered (with records or without), null before one. */
  get lastFetchAtMs(): number | null {
    return this.lastFetchMs;
  }

  run(handler: Handler, policy: MemberPolicy): Promise<void> {
    if (this.started) return Promise.reject(new SaferoadsError('STATE_INVARIANT', `consumer of group ${this.opts.groupId}: run() was already called`));
    this.started = true;
    this.finished = this.lifecycle(handler, policy);
    return this.finished;
  }

  /** Finishes the batch in progress (the policy commits it), leaves the group, hands every partition back, disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.requestStop();
    // run() reports a failure; stop() only waits for the consumer to be down.
    await this.finished?.catch(() => undefined);
  }

  fail(error: unknown): void {
    this.failure ??= { error };
    this.stopping = true;
    this.requestStop();
  }

  private async lifecycle(handler: Handler, policy: MemberPolicy): Promise<void> {
    const c = this.consumer;
    const { GROUP_JOIN, CRASH, FETCH } = c.events;
    const offJoin = c.on(GROUP_JOIN, (e) => this.reassign(e.payload.memberAssignment, policy));
    const offFetch = c.on(FETCH, () => {
      this.lastFetchMs = Date.now();
      this.outageRestarts = 0;
    });
    const offCrash = c.on(CRASH, (e) => {
      // kafkajs has already left the group: what this member owned may be another's by now.
      this.reassign({}, policy);
      if (e.payload.restart) this.log.warn({ groupId: this.opts.groupId, err: e.payload.error }, 'Kafka consumer crashed, kafkajs restarts it');
      else if (isBrokerOutage(e.payload.error)) this.restartAfterOutage(e.payload.error, handler, policy);
      else this.fail(busError(`consumer of group ${this.opts.groupId} crashed`, e.payload.error));
    });
    try {
      await this.startConsumer(handler, policy);
      await this.stopRequested;
    } catch (err) {
      this.fail(busError(`starting the consumer of group ${this.opts.groupId} on ${this.opts.topics.join(', ')}`, err));
    } finally {
      await this.shutdown(policy);
      offJoin();
      offCrash();
      offFetch();
    }
    if (this.failure) throw this.failure.error;
  }

  private async startConsumer(handler: Handler, policy: MemberPolicy): Promise<void> {
    const c = this.consumer;
    await c.connect();
    await c.subscribe({ topics: [...this.opts.topics], fromBeginning: this.opts.fromBeginning ?? false });
    await c.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.eachBatch(payload, handler, policy),
    });
  }

  /**
   * kafkajs has disconnected and given up (a broker restart outlasted its retries): start it again
   * after a growing, jittered delay, for as long as the outage lasts. A failure to start before
   * the first fetch, at run(), still fails fast.
   */
  private restartAfterOutage(cause: unknown, handler: Handler, policy: MemberPolicy): void {
    if (this.stopping) return;
    this.outageRestarts++;
    const delayMs = backoffDelay(this.outageRestarts, { initialDelayMs: 500, maxDelayMs: 30_000 }, Math.random);
    this.log.warn({ err: cause, groupId: this.opts.groupId, delayMs, restarts: this.outageRestarts }, 'Kafka consumer gave up while the brokers were unavailable, restarting it');
    this.restarting = this.restarting.then(async () => {
      await Promise.race([new Promise((r) => setTimeout(r, delayMs)), this.stopRequested]);
      if (this.stopping) return;
      try {
        await this.startConsumer(handler, policy);
      } catch (err) {
        if (isBrokerOutage(err)) this.restartAfterOutage(err, handler, policy);
        else this.fail(busError(`restarting the consumer of group ${this.opts.groupId}`, err));
      }
    });
  }

  private async eachBatch(payload: EachBatchPayload, handler: Handler, policy: MemberPolicy): Promise<void> {
    const { batch } = payload;
    if (this.failure || !payload.isRunning() || payload.isStale()) return;
    await this.hooks;
    // A hand-over may have moved the position (seek): this batch is then from the old one.
    if (this.failure || !payload.isRunning() || payload.isStale()) return;
    const records = batch.messages.map(fromKafkaMessage);
    // A handler may outlast the session timeout: keep this member alive meanwhile (kafkajs only
    // heartbeats between batches). Errors here surface again at the commit.
    const beat = setInterval(() => {
      payload.heartbeat().catch((err: unknown) => this.log.debug({ err, groupId: this.opts.groupId }, 'heartbeat during a batch failed'));
    }, this.heartbeatIntervalMs);
    try {
      await handler({ topic: batch.topic, partition: batch.partition, records, highWatermark: Number(batch.highWatermark) });
    } catch (err) {
      this.fail(err);
      return;
    } finally {
      clearInterval(beat);
    }
    await policy.afterBatch(payload);
  }

  private reassign(assignment: IMemberAssignment, policy: MemberPolicy): void {
    const before = this.assigned;
    const after: Assignment = new Map(Object.entries(assignment).map(([topic, parts]) => [topic, new Set(parts)]));
    this.assigned = after;
    this.hooks = this.hooks.then(() => policy.handOver(before, after)).catch((err: unknown) => this.fail(err));
  }

  private async shutdown(policy: MemberPolicy): Promise<void> {
    this.stopping = true;
    await this.restarting;
    try {
      await this.consumer.stop();
    } catch (err) {
      this.log.warn({ err, groupId: this.opts.groupId }, 'stopping the Kafka consumer failed');
    }
    this.reassign({}, policy);
    await this.hooks;
    try {
      await this.consumer.disconnect();
    } catch (err) {
      this.log.warn({ err, groupId: this.opts.groupId }, 'disconnecting the Kafka consumer failed');
    }
  }
}

/** Partitions of `a` not in `b`, by topic, sorted. */
export function assignmentDiff(a: Assignment, b: Assignment): [string, number[]][] {
  return [...a]
    .map(([topic, parts]) => [topic, [...parts].filter((p) => !b.get(topic)?.has(p)).sort((x, y) => x - y)] as [string, number[]])
    .filter(([, parts]) => parts.length > 0);
}

/**
 * The bus consumer on Kafka: a batch's offsets are committed after its handler resolves;
 * onRevoke and onAssign hear of partitions lost and gained (kafkajs only reports the new assignment).
 */
export class KafkaConsumer implements BusConsumer {
  private readonly member: GroupMember;

  constructor(
    consumer: Consumer,
    private readonly opts: KafkaConsumerOptions,
    heartbeatIntervalMs: number,
    private readonly log: Logger,
  ) {
    this.member = new GroupMember(consumer, opts, heartbeatIntervalMs, log);
  }

  run(handler: Handler, hooks: ConsumerHooks = {}): Promise<void> {
    return this.member.run(handler, {
      afterBatch: (payload) => this.commit(payload),
      handOver: async (before, after) => {
        for (const [topic, parts] of assignmentDiff(before, after)) await hooks.onRevoke?.(topic, parts);
        for (const [topic, parts] of assignmentDiff(after, before)) await hooks.onAssign?.(topic, parts);
      },
    });
  }

  stop(): Promise<void> {
    return this.member.stop();
  }

  private async commit(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    // lastOffset() may lie past the last record (transaction markers): committing it skips them.
    const next = (BigInt(batch.lastOffset()) + 1n).toString();
    const offsets = { topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }] };
    try {
      // Straight to the group coordinator (consumer.commitOffsets would skip it once stop() began).
      await retry(() => payload.commitOffsetsIfNecessary(offsets), {
        attempts: 5,
        initialDelayMs: 100,
        maxDelayMs: 2_000,
        retryOn: (err) => isKafkaRetriable(err) && !isRebalanceError(err),
      });
    } catch (err) {
      // Rethrown as is: kafkajs rejoins the group on rebalance errors, and the batch is read again.
      this.log.warn({ err, groupId: this.opts.groupId, topic: batch.topic, partition: batch.partition, offset: next }, 'commit after a batch failed');
      throw err;
    }
    payload.resolveOffset(batch.messages[batch.messages.length - 1].offset);
  }
}

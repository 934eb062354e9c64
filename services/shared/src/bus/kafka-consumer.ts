import type { Consumer, EachBatchPayload, IMemberAssignment } from 'kafkajs';
import { SaferoadsError } from '../errors.js';
import type { Logger } from '../logger.js';
import { retry } from '../retry.js';
import { busError, isKafkaRetriable, isRebalanceError } from './kafka-errors.js';
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

/**
 * The bus consumer on Kafka (kafkajs eachBatch, auto-commit off). Per partition one batch at a
 * time, in offset order; a batch's offsets are committed after its handler resolves. A handler
 * or hook that throws stops the consumer without committing that batch, and run() rejects with
 * its error: the batch is read again by whoever owns the partition next.
 */
export class KafkaConsumer implements BusConsumer {
  private started = false;
  private finished: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;
  private requestStop: () => void = () => undefined;
  private readonly stopRequested = new Promise<void>((resolve) => {
    this.requestStop = resolve;
  });
  /** Partitions this member owns, by topic, as of the last group join. */
  private assigned = new Map<string, Set<number>>();
  /** Assignment hooks run in order, and every batch waits for those before it. */
  private hooks: Promise<void> = Promise.resolve();

  constructor(
    private readonly consumer: Consumer,
    private readonly opts: KafkaConsumerOptions,
    private readonly heartbeatIntervalMs: number,
    private readonly log: Logger,
  ) {}

  run(handler: Handler, hooks: ConsumerHooks = {}): Promise<void> {
    if (this.started) return Promise.reject(new SaferoadsError('STATE_INVARIANT', `consumer of group ${this.opts.groupId}: run() was already called`));
    this.started = true;
    this.finished = this.lifecycle(handler, hooks);
    return this.finished;
  }

  /** Finishes the batch in progress and commits it, leaves the group, revokes every partition, disconnects. */
  async stop(): Promise<void> {
    this.requestStop();
    // run() reports a failure; stop() only waits for the consumer to be down.
    await this.finished?.catch(() => undefined);
  }

  private async lifecycle(handler: Handler, hooks: ConsumerHooks): Promise<void> {
    const c = this.consumer;
    const { GROUP_JOIN, CRASH } = c.events;
    const offJoin = c.on(GROUP_JOIN, (e) => this.reassign(e.payload.memberAssignment, hooks));
    const offCrash = c.on(CRASH, (e) => {
      // kafkajs has already left the group: what this member owned may be another's by now.
      this.reassign({}, hooks);
      if (e.payload.restart) this.log.warn({ groupId: this.opts.groupId, err: e.payload.error }, 'Kafka consumer crashed, kafkajs restarts it');
      else this.fail(busError(`consumer of group ${this.opts.groupId} crashed`, e.payload.error));
    });
    try {
      await c.connect();
      await c.subscribe({ topics: [...this.opts.topics], fromBeginning: this.opts.fromBeginning ?? false });
      await c.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: (payload) => this.eachBatch(payload, handler),
      });
      await this.stopRequested;
    } catch (err) {
      this.fail(busError(`starting the consumer of group ${this.opts.groupId} on ${this.opts.topics.join(', ')}`, err));
    } finally {
      await this.shutdown(hooks);
      offJoin();
      offCrash();
    }
    if (this.failure) throw this.failure.error;
  }

  private async eachBatch(payload: EachBatchPayload, handler: Handler): Promise<void> {
    const { batch } = payload;
    if (this.failure || !payload.isRunning() || payload.isStale()) return;
    await this.hooks;
    if (this.failure) return;
    const records = batch.messages.map(fromKafkaMessage);
    // A handler may outlast the session timeout: keep this member alive meanwhile (kafkajs only
    // heartbeats between batches). Errors here surface again at the commit.
    const beat = setInterval(() => {
      payload.heartbeat().catch((err: unknown) => this.log.debug({ err, groupId: this.opts.groupId }, 'heartbeat during a batch failed'));
    }, this.heartbeatIntervalMs);
    try {
      await handler({ topic: batch.topic, partition: batch.partition, records });
    } catch (err) {
      this.fail(err);
      return;
    } finally {
      clearInterval(beat);
    }
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

  /** Calls onRevoke for partitions no longer owned, then onAssign for new ones (kafkajs only reports the new assignment). */
  private reassign(assignment: IMemberAssignment, hooks: ConsumerHooks): void {
    const before = this.assigned;
    const after = new Map(Object.entries(assignment).map(([topic, parts]) => [topic, new Set(parts)]));
    this.assigned = after;
    const diff = (a: Map<string, Set<number>>, b: Map<string, Set<number>>) =>
      [...a].map(([topic, parts]) => [topic, [...parts].filter((p) => !b.get(topic)?.has(p)).sort((x, y) => x - y)] as const).filter(([, parts]) => parts.length > 0);
    const revoked = diff(before, after);
    const added = diff(after, before);
    this.hooks = this.hooks
      .then(async () => {
        for (const [topic, parts] of revoked) await hooks.onRevoke?.(topic, parts);
        for (const [topic, parts] of added) await hooks.onAssign?.(topic, parts);
      })
      .catch((err: unknown) => this.fail(err));
  }

  private async shutdown(hooks: ConsumerHooks): Promise<void> {
    try {
      await this.consumer.stop();
    } catch (err) {
      this.log.warn({ err, groupId: this.opts.groupId }, 'stopping the Kafka consumer failed');
    }
    this.reassign({}, hooks);
    await this.hooks;
    try {
      await this.consumer.disconnect();
    } catch (err) {
      this.log.warn({ err, groupId: this.opts.groupId }, 'disconnecting the Kafka consumer failed');
    }
  }

  private fail(error: unknown): void {
    this.failure ??= { error };
    this.requestStop();
  }
}

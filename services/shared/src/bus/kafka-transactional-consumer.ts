import type { EachBatchPayload } from 'kafkajs';
import { SaferoadsError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Assignment, GroupMember } from './kafka-consumer.js';
import type { KafkaTransactionalProducer } from './kafka-producer.js';
import type { ConsumedBatch, OutputRecords, TransactionalConsumer, TransactionalConsumerOptions, TransactionalHooks } from './port.js';

/**
 * Exactly-once consume-process-produce on Kafka with one transactional producer per input
 * partition (transactional id `<prefix>-<topic>-<partition>`, as Kafka Streams' original
 * exactly-once mode). kafkajs cannot tie a transaction to the consumer group's generation
 * (KIP-447), so fencing comes from the id: whoever owns a partition next starts its producer
 * with the same id, which aborts this member's open transaction and fails its next commit.
 *
 * Offsets move only by commit(). kafkajs forgets its positions at every group join, so every
 * join hands all partitions over afresh: producers restarted (fencing any zombie first), the
 * processor's onAssign restores the state and names where reading resumes, and the consumer
 * seeks there.
 */
export class KafkaTransactionalConsumer implements TransactionalConsumer {
  private readonly member: GroupMember;
  private readonly producers = new Map<string, KafkaTransactionalProducer>();
  private readonly prefix: string;

  constructor(
    member: GroupMember,
    private readonly opts: TransactionalConsumerOptions,
    private readonly newProducer: (transactionalId: string) => KafkaTransactionalProducer,
    private readonly log: Logger,
  ) {
    this.member = member;
    this.prefix = opts.transactionalIdPrefix ?? opts.groupId;
  }

  run(handler: (batch: ConsumedBatch) => Promise<void>, hooks: TransactionalHooks): Promise<void> {
    return this.member.run(handler, {
      afterBatch: async (payload) => this.moveOn(payload),
      handOver: (before, after) => this.handOver(before, after, hooks),
    });
  }

  async commit(topic: string, partition: number, outputs: readonly OutputRecords[], nextOffset: number): Promise<void> {
    const producer = this.producers.get(this.idOf(topic, partition));
    if (!producer) throw new SaferoadsError('STATE_INVARIANT', `commit for ${topic}[${partition}], which this member does not own`);
    try {
      await producer.begin();
      await producer.sendAll(outputs);
      await producer.sendOffsets(this.opts.groupId, [{ topic, partition, offset: nextOffset }]);
      await producer.commit();
    } catch (err) {
      // The transaction's fate is the broker's now (aborted when the producer restarts or times
      // out); the processor's state for the partition is ahead of what was committed. Whether
      // that ends the run is the caller's call: a commit failing in the handler stops the
      // consumer, one at a hand-over (the partition already someone else's) need not.
      this.log.warn({ err, topic, partition, offset: nextOffset }, 'transactional commit failed');
      if (producer.inTransaction) await producer.abort().catch(() => undefined);
      throw err;
    }
  }

  lastFetchAtMs(): number | null {
    return this.member.lastFetchAtMs;
  }

  stop(): Promise<void> {
    return this.member.stop();
  }

  /** The batch is the processor's now; only a commit() moves the group's offset. */
  private async moveOn(payload: EachBatchPayload): Promise<void> {
    const { messages } = payload.batch;
    payload.resolveOffset(messages[messages.length - 1].offset);
  }

  private async handOver(before: Assignment, after: Assignment, hooks: TransactionalHooks): Promise<void> {
    for (const [topic, parts] of before) await hooks.onRevoke(topic, sorted(parts));
    await Promise.all([...this.producers.values()].map((p) => p.close()));
    this.producers.clear();
    for (const [topic, parts] of after) {
      const partitions = sorted(parts);
      // Fence first: once every producer is up, no zombie can commit for these partitions, so the
      // state onAssign reads is the last there will be.
      await Promise.all(
        partitions.map(async (p) => {
          const producer = this.newProducer(this.idOf(topic, p));
          this.producers.set(this.idOf(topic, p), producer);
          await producer.init();
        }),
      );
      const resume = await hooks.onAssign(topic, partitions);
      for (const p of partitions) {
        const offset = resume.get(p);
        if (offset !== undefined) this.member.consumer.seek({ topic, partition: p, offset: String(offset) });
      }
    }
  }

  private idOf(topic: string, partition: number): string {
    return `${this.prefix}-${topic}-${partition}`;
  }
}

const sorted = (parts: ReadonlySet<number>) => [...parts].sort((a, b) => a - b);

import type { Bus, BusRecord, ConsumedBatch, TransactionalConsumer } from '@saferoads/shared/bus';
import { partitionFor } from '@saferoads/shared/bus';
import { decodeJson, formatFieldErrors, trafficStatsValidator } from '@saferoads/shared/contracts';
import type { Logger } from '@saferoads/shared/logger';
import type { Network } from '@saferoads/shared/network';
import type { DeadLetter } from '@saferoads/shared/topics';
import { joinTopology } from '../join/topology.js';
import { DEFAULT_RISK_TOPICS, type RiskTopics } from './topics.js';

export interface StatsRelayOptions {
  readonly bus: Bus;
  readonly network: Network;
  readonly log: Logger;
  readonly topics?: RiskTopics;
  readonly groupId?: string;
}

export interface StatsRelayCounters {
  records: number;
  copies: number;
  invalid: number;
}

export interface StatsRelay {
  readonly counters: StatsRelayCounters;
  readonly done: Promise<void>;
  /** Next input offset per owned partition of traffic.stats. */
  positions(): ReadonlyMap<number, number>;
  stop(): Promise<void>;
}

/**
 * The first half of the scorer's join, exactly once: each traffic.stats record is copied to
 * every partition of the relay topic whose segments need it (the segment's own partition, and
 * those of the segments it is upstream or downstream of), keyed by its segment. Partition p of
 * the relay then holds everything the segments of partition p join with, so scorer instances
 * scale out by partitions with no state shared between them. Records that are not stats of a
 * known segment go to the dead-letter topic with the reason. Stateless: each input batch commits
 * its copies and its offset in one transaction.
 */
export async function startStatsRelay(opts: StatsRelayOptions): Promise<StatsRelay> {
  const topics = opts.topics ?? DEFAULT_RISK_TOPICS;
  const log = opts.log.child({ stage: 'risk-relay' });
  const partitions = await opts.bus.partitionsOf(topics.relay);
  const topo = joinTopology(opts.network);
  const segments = opts.network.segments;
  // Per segment index: the relay partitions that need its records.
  const targets = segments.map((s) => [...new Set(topo.usedBy[s.index].map((j) => partitionFor(segments[j].id, partitions)))].sort((a, b) => a - b));
  const counters: StatsRelayCounters = { records: 0, copies: 0, invalid: 0 };
  const next = new Map<number, number>();

  const consumer: TransactionalConsumer = opts.bus.transactionalConsumer({ groupId: opts.groupId ?? 'risk-scorer-relay', topics: [topics.stats], fromBeginning: true });
  const handle = async (batch: ConsumedBatch) => {
    const copies: BusRecord[] = [];
    const dlq: BusRecord[] = [];
    for (const r of batch.records) {
      counters.records++;
      const source = { topic: batch.topic, partition: batch.partition, offset: r.offset };
      const v = decodeJson(r.value, trafficStatsValidator);
      const seg = v.ok ? opts.network.byId.get(v.value.segmentId) : undefined;
      if (!v.ok || seg === undefined) {
        counters.invalid++;
        const errors = v.ok ? [{ field: 'segmentId', reason: `${JSON.stringify(v.value.segmentId)} is not a segment of the network` }] : v.errors;
        const dl: DeadLetter = { reason: formatFieldErrors(errors), errors, source, raw: r.value };
        dlq.push({ key: r.key, value: JSON.stringify(dl) });
        continue;
      }
      for (const p of targets[seg.index]) copies.push({ key: seg.id, value: r.value, timestamp: v.value.windowEndMs, partition: p });
    }
    counters.copies += copies.length;
    const last = batch.records[batch.records.length - 1];
    if (last === undefined) return;
    if (dlq.length > 0) log.warn({ partition: batch.partition, invalid: dlq.length }, 'traffic.stats records refused: dead-lettered');
    await consumer.commit(batch.topic, batch.partition, [
      { topic: topics.relay, records: copies },
      { topic: topics.statsDlq, records: dlq },
    ], last.offset + 1);
    next.set(batch.partition, last.offset + 1);
  };
  const done = consumer.run(handle, {
    onAssign: (_topic, parts) => {
      log.info({ partitions: parts }, 'partitions assigned');
      return Promise.resolve(new Map());
    },
    onRevoke: (_topic, parts) => {
      for (const p of parts) next.delete(p);
      return Promise.resolve();
    },
  });
  return {
    counters,
    done,
    positions: () => new Map(next),
    async stop() {
      await consumer.stop();
      await done;
    },
  };
}

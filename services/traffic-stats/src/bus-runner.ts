import type { Bus, BusRecord, ConsumedBatch } from '@saferoads/shared/bus';
import { partitionFor } from '@saferoads/shared/bus';
import { decodeJson, detectionValidator, encodeTrafficStats, formatFieldErrors, type TrafficStats } from '@saferoads/shared/contracts';
import type { Logger } from '@saferoads/shared/logger';
import type { Network } from '@saferoads/shared/network';
import { TOPICS, type DeadLetter } from '@saferoads/shared/topics';
import type { TrafficStatsConfig } from './config.js';
import { TrafficStatsStage, type StageCounters } from './stage.js';

export interface StatsRunnerOptions {
  readonly bus: Bus;
  readonly network: Network;
  readonly log: Logger;
  readonly config?: Partial<TrafficStatsConfig>;
  readonly groupId?: string;
  readonly topics?: { detections: string; stats: string; dlq: string; late: string };
  readonly wallClock?: () => number;
  /** How often idle partitions' watermarks follow the wall clock. */
  readonly tickMs?: number;
  /** Called for every published stats record (the live view of the embedded pipeline, metrics). */
  readonly onStats?: (record: TrafficStats) => void;
  /** Called after every publish with the running totals (for metrics). */
  readonly onCounters?: (counters: StageCounters & { invalid: number }) => void;
}

export interface StatsRunner {
  readonly stage: TrafficStatsStage;
  readonly done: Promise<void>;
  /**
   * Stops consuming and publishes what is pending. `flush` also closes every window up to the end
   * of the last minute with data: right at the end of a finite input, wrong for a service that
   * will resume (its windows must wait for the rest of their data).
   */
  stop(opts?: { flush?: boolean }): Promise<void>;
}

/**
 * The traffic-stats stage on a bus: loop.detections in, traffic.stats out (keyed by segment),
 * late detections to the late topic and refused records to the dead-letter topic with reasons.
 * A batch's outputs are published before its offsets are committed.
 */
export async function startStatsRunner(opts: StatsRunnerOptions): Promise<StatsRunner> {
  const topics = opts.topics ?? { detections: TOPICS.detections, stats: TOPICS.stats, dlq: TOPICS.detectionsDlq, late: TOPICS.detectionsLate };
  const partitions = await opts.bus.partitionsOf(topics.detections);
  const wallClock = opts.wallClock ?? Date.now;
  const log = opts.log.child({ stage: 'traffic-stats' });
  const out: { stats: BusRecord[]; late: BusRecord[]; dlq: BusRecord[] } = { stats: [], late: [], dlq: [] };
  let source: { topic: string; partition: number; offset: number } | null = null;
  let invalid = 0;
  let raw = '';
  const deadLetter = (dl: DeadLetter) => out.dlq.push({ key: null, value: JSON.stringify(dl) });

  const stage = new TrafficStatsStage({
    network: opts.network,
    config: { idleTimeoutMs: 30_000, ...opts.config, partitions },
    partitionOf: (segmentId, n) => partitionFor(segmentId, n),
    wallClock,
    sink: {
      stats: (r) => {
        out.stats.push({ key: r.segmentId, value: encodeTrafficStats(r), timestamp: r.windowEndMs });
        opts.onStats?.(r);
      },
      late: (d) => {
        const loc = opts.network.detectors.get(d.detectorId);
        log.debug({ topic: source?.topic, partition: source?.partition, offset: source?.offset }, 'late record kept');
        out.late.push({ key: loc?.segmentId ?? null, value: JSON.stringify(d), timestamp: d.ts });
      },
      rejected: (_d, errors) => deadLetter({ reason: formatFieldErrors(errors), errors, source, raw }),
    },
  });

  const producer = opts.bus.producer();
  const publish = async () => {
    const { stats, late, dlq } = out;
    out.stats = [];
    out.late = [];
    out.dlq = [];
    if (stats.length) await producer.send(topics.stats, stats);
    if (late.length) await producer.send(topics.late, late);
    if (dlq.length) await producer.send(topics.dlq, dlq);
    opts.onCounters?.({ ...stage.counters, invalid });
  };

  // Batches and clock ticks take turns, so a tick never interleaves with a batch's publish.
  let turn: Promise<void> = Promise.resolve();
  const exclusive = (fn: () => Promise<void>) => {
    const next = turn.then(fn);
    turn = next.catch(() => undefined);
    return next;
  };

  const handle = (batch: ConsumedBatch) =>
    exclusive(async () => {
      for (const rec of batch.records) {
        source = { topic: batch.topic, partition: batch.partition, offset: rec.offset };
        raw = rec.value;
        const r = decodeJson(rec.value, detectionValidator);
        if (r.ok) stage.process(r.value, batch.partition);
        else {
          invalid++;
          deadLetter({ reason: formatFieldErrors(r.errors), errors: r.errors, source, raw });
        }
      }
      source = null;
      await publish();
    });

  const consumer = opts.bus.consumer({ groupId: opts.groupId ?? 'traffic-stats', topics: [topics.detections], fromBeginning: true });
  const timer = setInterval(() => {
    exclusive(async () => {
      stage.tick(wallClock());
      await publish();
    }).catch((err: unknown) => log.error({ err }, 'publishing after a clock tick failed'));
  }, opts.tickMs ?? 1_000);
  timer.unref();

  const done = consumer.run(handle, {
    onAssign: (_topic, parts) => {
      for (const p of parts) stage.open(p);
      log.info({ partitions: parts }, 'partitions assigned');
    },
  });
  return {
    stage,
    done,
    async stop({ flush = false } = {}) {
      clearInterval(timer);
      await consumer.stop();
      await exclusive(async () => {
        if (flush) stage.flush();
        await publish();
      });
      await producer.close();
    },
  };
}

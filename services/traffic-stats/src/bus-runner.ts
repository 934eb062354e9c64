import type { Bus, BusRecord, ConsumedBatch, OutputRecords, TableReader, TopicSpec, TransactionalConsumer } from '@saferoads/shared/bus';
import { partitionFor } from '@saferoads/shared/bus';
import { DetectionDecoder, encodeTrafficStats, formatFieldErrors, type TrafficStats } from '@saferoads/shared/contracts';
import type { Logger } from '@saferoads/shared/logger';
import type { Network } from '@saferoads/shared/network';
import { TOPIC_CONFIG, TOPICS, type DeadLetter } from '@saferoads/shared/topics';
import { checkpointRecord, readCheckpoint } from './checkpoint.js';
import type { TrafficStatsConfig } from './config.js';
import { TrafficStatsStage, type StageCounters } from './stage.js';

const NEWLINE = 0x0a;
/** Whether bytes[start, end) is JSON white space only (a blank NDJSON line holds no record). */
function isBlank(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

export interface StatsTopics {
  readonly detections: string;
  readonly stats: string;
  readonly dlq: string;
  readonly late: string;
  /** Compacted: each input partition's newest state snapshot, on the partition of the same number. */
  readonly checkpoints: string;
}

/** A bus that answered no read for this long is taken to be unreachable, not idle. */
const REACHABLE_WITHIN_MS = 10_000;

export const DEFAULT_STATS_TOPICS: StatsTopics = {
  detections: TOPICS.detections,
  stats: TOPICS.stats,
  dlq: TOPICS.detectionsDlq,
  late: TOPICS.detectionsLate,
  checkpoints: TOPICS.statsCheckpoints,
};

/** Every topic the stage reads or writes; the checkpoint topic has as many partitions as the input. */
export function statsTopicSpecs(partitions: number, topics: StatsTopics = DEFAULT_STATS_TOPICS): TopicSpec[] {
  return [
    ...[topics.detections, topics.stats, topics.dlq, topics.late].map((name) => ({ name, partitions })),
    { name: topics.checkpoints, partitions, config: TOPIC_CONFIG.statsCheckpoints },
  ];
}

export interface StatsRunnerOptions {
  readonly bus: Bus;
  readonly network: Network;
  readonly log: Logger;
  readonly config?: Partial<TrafficStatsConfig>;
  readonly groupId?: string;
  readonly topics?: StatsTopics;
  readonly wallClock?: () => number;
  /** How often idle partitions' watermarks follow the wall clock. */
  readonly tickMs?: number;
  /**
   * Late and dead-letter records wait at most this long for a commit. Closed windows are
   * committed at once; progress with no output waits for the next of either.
   */
  readonly commitIntervalMs?: number;
  /**
   * Called for every stats record once it is committed (the live view of the embedded pipeline,
   * metrics), with the wall time its window closed.
   */
  readonly onStats?: (record: TrafficStats, closedAtMs: number) => void;
  /** Called after every commit with the running totals (for metrics). */
  readonly onCounters?: (counters: StageCounters & { invalid: number; commits: number; checkpointBytes: number }) => void;
}

export interface StatsRunner {
  readonly stage: TrafficStatsStage;
  readonly done: Promise<void>;
  /** Next input offset to process, per partition this instance owns. */
  positions(): ReadonlyMap<number, number>;
  /**
   * Stops consuming and commits what is pending. `flush` first closes every window up to the end
   * of the last minute with data: right at the end of a finite input, wrong for a service that
   * will resume (its windows must wait for the rest of their data).
   */
  stop(opts?: { flush?: boolean }): Promise<void>;
}

/** What an owned partition has processed since its last commit. */
interface PartitionProgress {
  /** Next input offset; null until the first record of a partition with no checkpoint. */
  next: number | null;
  /** The partition's end offset as of its last batch (null: none read yet). */
  end: number | null;
  committed: number | null;
  stats: BusRecord[];
  pending: TrafficStats[];
  /** Wall time each pending record's window closed. */
  closedAt: number[];
  late: BusRecord[];
  dlq: BusRecord[];
  /** Wall time the oldest late or dead-letter record has waited since. */
  waitingSinceMs: number | null;
}

/**
 * The traffic-stats stage on a bus, with exactly-once results: loop.detections in, traffic.stats
 * out (keyed by segment), late detections to the late topic and refused records to the
 * dead-letter topic with reasons.
 *
 * Each input partition commits on its own, in one transaction: the outputs since its last
 * commit, a snapshot of its whole window state (to the checkpoint topic) and its input offset.
 * A restarted or new owner restores the snapshot and reads on from that offset, so every window
 * comes out once, with every value as an uninterrupted run gives it (docs/exactly-once.md).
 */
export async function startStatsRunner(opts: StatsRunnerOptions): Promise<StatsRunner> {
  const topics = opts.topics ?? DEFAULT_STATS_TOPICS;
  const partitions = await opts.bus.partitionsOf(topics.detections);
  const wallClock = opts.wallClock ?? Date.now;
  const commitIntervalMs = opts.commitIntervalMs ?? 5_000;
  const log = opts.log.child({ stage: 'traffic-stats' });
  const progress = new Map<number, PartitionProgress>();
  let source: DeadLetter['source'] = null;
  let invalid = 0;
  let commits = 0;
  let checkpointBytes = 0;

  const owned = (p: number): PartitionProgress => {
    const st = progress.get(p);
    if (!st) throw new Error(`partition ${p} is not owned`);
    return st;
  };
  const deadLetter = (p: number, dl: DeadLetter) => {
    const st = owned(p);
    st.dlq.push({ key: null, value: JSON.stringify(dl) });
    st.waitingSinceMs ??= Date.now();
  };

  const stage = new TrafficStatsStage({
    network: opts.network,
    config: { idleTimeoutMs: 30_000, ...opts.config, partitions },
    partitionOf: (segmentId, n) => partitionFor(segmentId, n),
    wallClock,
    sink: {
      stats: (r, p) => {
        const st = owned(p);
        const closedAt = Date.now();
        // The header lets any reader measure how long a window took from closing to being readable.
        st.stats.push({ key: r.segmentId, value: encodeTrafficStats(r), timestamp: r.windowEndMs, headers: { 'closed-at': String(closedAt) } });
        st.pending.push(r);
        st.closedAt.push(closedAt);
      },
      late: (d, p) => {
        const st = owned(p);
        log.debug({ topic: source?.topic, partition: source?.partition, offset: source?.offset }, 'late record kept');
        st.late.push({ key: opts.network.detectors.get(d.detectorId)?.segmentId ?? null, value: JSON.stringify(d), timestamp: d.ts });
        st.waitingSinceMs ??= Date.now();
      },
      rejected: (_d, errors, p) => deadLetter(p, { reason: formatFieldErrors(errors), errors, source, raw: rawText() }),
    },
  });

  const consumer: TransactionalConsumer = opts.bus.transactionalConsumer({
    groupId: opts.groupId ?? 'traffic-stats',
    topics: [topics.detections],
    fromBeginning: true,
  });
  const checkpoints: TableReader = opts.bus.tableReader(topics.checkpoints);

  /** Publishes the partition's outputs, its snapshot and its offset in one transaction. */
  const commit = async (p: number) => {
    const st = owned(p);
    if (st.next === null) return;
    const snapshot = checkpointRecord(p, stage.savePartition(p), st.next);
    const outputs: OutputRecords[] = [
      { topic: topics.stats, records: st.stats },
      { topic: topics.late, records: st.late },
      { topic: topics.dlq, records: st.dlq },
      { topic: topics.checkpoints, records: [snapshot] },
    ];
    await consumer.commit(topics.detections, p, outputs, st.next);
    commits++;
    checkpointBytes += snapshot.value.length;
    const published = st.pending;
    const closedAt = st.closedAt;
    Object.assign(st, { committed: st.next, stats: [], pending: [], closedAt: [], late: [], dlq: [], waitingSinceMs: null });
    published.forEach((r, i) => opts.onStats?.(r, closedAt[i]));
    opts.onCounters?.({ ...stage.counters, invalid, commits, checkpointBytes });
  };
  /**
   * Partitions whose quiet means an empty road, not a cut-off input: caught up with their end
   * offset, on a bus that answered a read lately. A broker outage or a backlog still being read
   * must not let the wall clock close windows that data is on its way to.
   */
  const idlePartitions = (nowMs: number): Set<number> => {
    const fetched = consumer.lastFetchAtMs();
    const reachable = fetched !== null && nowMs - fetched <= REACHABLE_WITHIN_MS;
    const out = new Set<number>();
    if (!reachable) return out;
    for (const [p, st] of progress) if (st.end === null || (st.next ?? 0) >= st.end) out.add(p);
    return out;
  };
  const due = (st: PartitionProgress, nowMs: number) =>
    st.stats.length > 0 || (st.waitingSinceMs !== null && nowMs - st.waitingSinceMs >= commitIntervalMs);

  // Batches, clock ticks and hand-overs take turns: the stage and the progress are never seen half-way.
  let turn: Promise<void> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = turn.then(fn);
    turn = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  };

  // The record's value as UTF-8 bytes, decoded a line at a time straight from them (no string
  // per line); the text of the line at hand is made only for a dead letter.
  const decoder = new DetectionDecoder();
  let bytes: Buffer = Buffer.alloc(0);
  let lineStart = 0;
  let lineEnd = 0;
  const rawText = () => bytes.toString('utf8', lineStart, lineEnd);
  const detection = (p: number) => {
    const r = decoder.decode(bytes, lineStart, lineEnd);
    if (r.ok) stage.process(r.value, p);
    else {
      invalid++;
      deadLetter(p, { reason: formatFieldErrors(r.errors), errors: r.errors, source, raw: rawText() });
    }
  };

  const handle = (batch: ConsumedBatch) =>
    exclusive(async () => {
      const p = batch.partition;
      const st = owned(p);
      const first = batch.records[0]?.offset;
      if (st.next !== null && first !== undefined && first > st.next) {
        // Records in between are gone (deleted by retention before they were read) or were
        // transaction markers of a transactional producer; either way there is nothing to wait for.
        log.warn({ topic: batch.topic, partition: p, expected: st.next, offset: first }, 'input resumes past the expected offset');
      }
      for (const rec of batch.records) {
        // Already in the restored state (a stale committed offset can start the read earlier).
        if (st.next !== null && rec.offset < st.next) continue;
        bytes = Buffer.from(rec.value, 'utf8');
        const firstNewline = bytes.indexOf(NEWLINE);
        if (firstNewline >= 0) {
          // A gateway packing a segment's detections (LOOP_INGEST_DETECTIONS_PER_RECORD): NDJSON,
          // each line a detection on its own, a bad line dead-lettered with its number.
          let line = 0;
          for (let start = 0, nl = firstNewline; start <= bytes.length; start = nl + 1, nl = bytes.indexOf(NEWLINE, start)) {
            const end = nl < 0 ? bytes.length : nl;
            line++;
            if (!isBlank(bytes, start, end)) {
              source = { topic: batch.topic, partition: p, offset: rec.offset, line };
              lineStart = start;
              lineEnd = end;
              detection(p);
            }
            if (nl < 0) break;
          }
        } else {
          source = { topic: batch.topic, partition: p, offset: rec.offset };
          lineStart = 0;
          lineEnd = bytes.length;
          detection(p);
        }
        st.next = rec.offset + 1;
      }
      source = null;
      if (batch.highWatermark !== undefined) st.end = batch.highWatermark;
      if (due(st, Date.now())) await commit(p);
    });

  let failTick: (err: unknown) => void = () => undefined;
  const tickFailed = new Promise<never>((_, reject) => {
    failTick = reject;
  });
  tickFailed.catch(() => undefined);
  const timer = setInterval(() => {
    exclusive(async () => {
      stage.tick(wallClock(), idlePartitions(Date.now()));
      const now = Date.now();
      for (const [p, st] of progress) if (due(st, now)) await commit(p);
    }).catch((err: unknown) => {
      log.error({ err }, 'committing after a clock tick failed: stopping');
      clearInterval(timer);
      failTick(err);
      void consumer.stop();
    });
  }, opts.tickMs ?? 1_000);
  timer.unref();

  const run = consumer.run(handle, {
    onAssign: (_topic, parts) =>
      exclusive(async () => {
        const resume = new Map<number, number>();
        for (const p of parts) {
          const saved = await checkpoints.latest(p);
          stage.closePartition(p);
          if (saved) {
            const { offset, state } = readCheckpoint(saved, p);
            stage.restorePartition(p, state);
            resume.set(p, offset);
          } else stage.open(p);
          const next = resume.get(p) ?? null;
          progress.set(p, { next, end: null, committed: next, stats: [], pending: [], closedAt: [], late: [], dlq: [], waitingSinceMs: null });
        }
        log.info({ partitions: parts, restored: Object.fromEntries(resume) }, 'partitions assigned');
        return resume;
      }),
    onRevoke: (_topic, parts) =>
      exclusive(async () => {
        for (const p of parts) {
          const st = progress.get(p);
          // Best effort: when another member already owns the partition this fails, and it
          // carries on from the last commit, which is as exact.
          if (st && (st.next !== st.committed || st.stats.length || st.late.length || st.dlq.length)) {
            await commit(p).catch((err: unknown) => log.warn({ err, partition: p }, 'commit at hand-over failed; the next owner resumes from the last commit'));
          }
          stage.closePartition(p);
          progress.delete(p);
        }
        log.info({ partitions: parts }, 'partitions revoked');
      }),
  });
  const done = Promise.race([run, tickFailed]);

  return {
    stage,
    done,
    positions: () => new Map([...progress].filter(([, st]) => st.next !== null).map(([p, st]) => [p, st.next as number])),
    async stop({ flush = false } = {}) {
      clearInterval(timer);
      if (flush) {
        await exclusive(async () => {
          stage.flush();
          for (const p of progress.keys()) await commit(p);
        });
      }
      // Leaving the group revokes every partition: onRevoke commits what is left.
      await consumer.stop();
      await checkpoints.close();
      await done;
    },
  };
}

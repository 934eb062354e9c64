import { ContextFeatureAssembler, InMemoryWeatherTable, startWeatherFeed, type WeatherFeed, type WeatherTable } from '@saferoads/context';
import type { FeatureSpec } from '@saferoads/model-spec';
import type { Bus, BusRecord, ConsumedBatch, TableReader, TransactionalConsumer } from '@saferoads/shared/bus';
import { partitionFor } from '@saferoads/shared/bus';
import { decodeJson, trafficStatsValidator } from '@saferoads/shared/contracts';
import { ConfigError } from '@saferoads/shared/errors';
import type { Logger } from '@saferoads/shared/logger';
import type { Network } from '@saferoads/shared/network';
import type { AlertConfig } from './alerts/config.js';
import type { JoinConfig } from './join/config.js';
import type { JoinedMinute, JoinOutcome } from './join/types.js';
import type { ModelSlot } from './model/model-slot.js';
import { RiskPipeline, type ScoredMinute } from './pipeline.js';
import type { ScoresConfig } from './scores/config.js';
import { readRiskCheckpoint, riskCheckpointRecord } from './bus/checkpoint.js';
import { toRiskAlert, toRiskScore } from './bus/encode.js';
import { startStatsRelay, type StatsRelay } from './bus/relay.js';
import { DEFAULT_RISK_TOPICS, type RiskTopics } from './bus/topics.js';
import { alertConfig } from './alerts/config.js';
import { scoresConfig } from './scores/config.js';
import { startThresholdsFeed, type ThresholdsFeed } from './thresholds/feed.js';
import { ThresholdsSchedule } from './thresholds/schedule.js';

export interface RiskRunnerOptions {
  readonly bus: Bus;
  readonly network: Network;
  readonly spec: FeatureSpec;
  readonly model: ModelSlot;
  /**
   * A shadow model scoring every minute's batch beside the live one: its scores go to
   * `topics.scoresShadow` in the same transaction as the live outputs, and never to alerts.
   */
  readonly shadow?: ModelSlot;
  readonly log: Logger;
  /** Built from `network` unless given. */
  readonly assembler?: ContextFeatureAssembler;
  /** The global weather table; the runner feeds it from the weather topic. */
  readonly weather?: WeatherTable;
  /** Wait for the weather table to hold the topic's content before scoring (default true). */
  readonly waitForWeather?: boolean;
  /**
   * The thresholds table; the runner feeds it from `topics.thresholds` (when that is set). A new
   * one whose defaults are `scores` and `alerts` unless given.
   */
  readonly thresholds?: ThresholdsSchedule;
  /** Wait for the thresholds table to hold the topic's content before scoring (default true): a restart scores with what a replay would. */
  readonly waitForThresholds?: boolean;
  readonly topics?: RiskTopics;
  /** The scorer's consumer group; the relay's is `<groupId>-relay`. */
  readonly groupId?: string;
  readonly wallClock?: () => number;
  /** How often minutes whose wait ran out are scored. */
  readonly tickMs?: number;
  readonly join?: Partial<JoinConfig>;
  readonly scores?: Partial<ScoresConfig>;
  readonly alerts?: Partial<AlertConfig>;
  /** Publish each score's features by name (default true). */
  readonly includeFeatures?: boolean;
  /** Every scored minute, once committed (the live view, metrics). */
  readonly onScored?: (scored: ScoredMinute) => void;
}

export interface RiskRunnerCounters {
  minutes: number;
  scores: number;
  alerts: number;
  commits: number;
  /** Relay records that were not stats (none, unless the relay topic is written by something else). */
  invalid: number;
  /** Minutes the model failed to score: logged and skipped. */
  scoreFailures: number;
  /** Shadow scores published, and minutes the shadow model failed to score (live scores unaffected). */
  shadowScores: number;
  shadowFailures: number;
  /** What became of each stats record the partitions' joins took (`late`: its minute was already scored). */
  join: Record<JoinOutcome, number>;
}

export interface RiskRunner {
  readonly relay: StatsRelay;
  readonly weather: WeatherFeed;
  /** Which thresholds apply to which minute. */
  readonly thresholds: ThresholdsSchedule;
  /** The feed of `thresholds` from risk.thresholds; null when the runner has no thresholds topic. */
  readonly thresholdsFeed: ThresholdsFeed | null;
  readonly counters: RiskRunnerCounters;
  readonly done: Promise<void>;
  /** Next relay offset per owned partition. */
  positions(): ReadonlyMap<number, number>;
  /** The relay partitions this runner owns now (none before the group assigned any). */
  assigned(): readonly number[];
  /** The pipeline of an owned partition (for tests and metrics). */
  pipeline(partition: number): RiskPipeline | undefined;
  /** Stops; `flush` first scores every open minute with what it has (the end of a finite input). */
  stop(opts?: { flush?: boolean }): Promise<void>;
}

interface PartitionProgress {
  readonly pipeline: RiskPipeline;
  next: number | null;
  committed: number | null;
  scores: BusRecord[];
  alerts: BusRecord[];
  shadow: BusRecord[];
  scored: ScoredMinute[];
}

/**
 * The risk scorer on a bus, exactly once (docs/risk-scorer.md): traffic.stats through the relay
 * (startStatsRelay) to a partition of segments and everything they join with; each partition
 * joins, scores and alerts on its own and commits its outputs (risk.scores and risk.alerts, keyed
 * by segment), a snapshot of its join and alert state and its input offset in one transaction.
 * A restarted or new owner restores the snapshot and reads on from that offset.
 */
export async function startRiskRunner(opts: RiskRunnerOptions): Promise<RiskRunner> {
  const topics = opts.topics ?? DEFAULT_RISK_TOPICS;
  const groupId = opts.groupId ?? 'risk-scorer';
  const log = opts.log.child({ stage: 'risk-scorer' });
  const wallClock = opts.wallClock ?? Date.now;
  const table = opts.weather ?? new InMemoryWeatherTable();
  const assembler = opts.assembler ?? new ContextFeatureAssembler(opts.network);
  const names = opts.includeFeatures === false ? undefined : opts.spec.features.map((f) => f.name);
  const counters: RiskRunnerCounters = {
    minutes: 0,
    scores: 0,
    alerts: 0,
    commits: 0,
    invalid: 0,
    scoreFailures: 0,
    shadowScores: 0,
    shadowFailures: 0,
    join: { joined: 0, late: 0, duplicate: 0, unknownSegment: 0, unneeded: 0 },
  };
  const shadowTopic = topics.scoresShadow;
  if (opts.shadow && shadowTopic === undefined) throw new ConfigError('risk-scorer', ['a shadow model needs topics.scoresShadow']);
  const partitions = await opts.bus.partitionsOf(topics.relay);
  const progress = new Map<number, PartitionProgress>();

  const scoresDefaults = scoresConfig(opts.scores);
  const schedule = opts.thresholds ?? new ThresholdsSchedule({ levelBasis: scoresDefaults.levelBasis, levels: scoresDefaults.levels, alerts: alertConfig(opts.alerts) });
  if (topics.thresholds !== undefined && topics.thresholdsDlq === undefined) throw new ConfigError('risk-scorer', ['topics.thresholds needs topics.thresholdsDlq (refused records go there)']);
  const thresholdsFeed =
    topics.thresholds === undefined || topics.thresholdsDlq === undefined ? null : startThresholdsFeed({ bus: opts.bus, topic: topics.thresholds, dlqTopic: topics.thresholdsDlq, log: opts.log, schedule });
  const weather = startWeatherFeed({ bus: opts.bus, topic: topics.weather, log: opts.log, onObservation: (o) => void table.upsert(o) });
  if (opts.waitForWeather !== false) await weather.caughtUp;
  if (thresholdsFeed && opts.waitForThresholds !== false) await thresholdsFeed.caughtUp;
  const relay = await startStatsRelay({ bus: opts.bus, network: opts.network, log: opts.log, topics, groupId: `${groupId}-relay` });

  const newPipeline = (p: number) =>
    new RiskPipeline({
      network: opts.network,
      spec: opts.spec,
      assembler,
      weather: table,
      model: opts.model,
      shadow: opts.shadow,
      scored: (id) => partitionFor(id, partitions) === p,
      join: opts.join,
      scores: opts.scores,
      alerts: opts.alerts,
      thresholds: schedule,
    });
  const owned = (p: number): PartitionProgress => {
    const st = progress.get(p);
    if (!st) throw new Error(`partition ${p} is not owned`);
    return st;
  };

  // The thresholds version of the newest minute scored, to log when another one takes over.
  let newestScored = { windowEndMs: Number.NEGATIVE_INFINITY, version: 0 };
  const noteThresholds = (s: ScoredMinute) => {
    if (s.minute.windowEndMs <= newestScored.windowEndMs) return;
    if (s.thresholdsVersion !== newestScored.version) {
      log.info(
        { version: s.thresholdsVersion, previousVersion: newestScored.version, windowEndMs: s.minute.windowEndMs },
        s.thresholdsVersion === 0 ? 'scoring with the configured default thresholds' : `scoring with thresholds version ${s.thresholdsVersion} from this minute on`,
      );
    }
    newestScored = { windowEndMs: s.minute.windowEndMs, version: s.thresholdsVersion };
  };

  /** Scores the minutes a partition's join let out, in order, into its pending outputs. */
  const score = async (st: PartitionProgress, minutes: readonly JoinedMinute[]) => {
    for (const minute of minutes) {
      let scored: ScoredMinute;
      try {
        scored = await st.pipeline.score(minute);
      } catch (err) {
        counters.scoreFailures++;
        log.error({ err, windowEndMs: minute.windowEndMs, segments: minute.segments.length }, 'scoring a minute failed: its scores are skipped');
        continue;
      }
      noteThresholds(scored);
      const version = scored.scores[0]?.modelVersion ?? opts.model.current.version;
      for (const s of scored.scores) st.scores.push({ key: s.segmentId, value: JSON.stringify(toRiskScore(s, names)), timestamp: s.windowEndMs });
      for (const e of scored.alerts) st.alerts.push({ key: e.segmentId, value: JSON.stringify(toRiskAlert(e, version)), timestamp: e.windowEndMs });
      for (const s of scored.shadow ?? []) st.shadow.push({ key: s.segmentId, value: JSON.stringify(toRiskScore(s, names)), timestamp: s.windowEndMs });
      if (scored.shadowError) {
        counters.shadowFailures++;
        log.warn({ err: scored.shadowError, windowEndMs: minute.windowEndMs, segments: minute.segments.length }, 'the shadow model failed to score a minute: no shadow scores for it');
      }
      st.scored.push(scored);
    }
  };

  const consumer: TransactionalConsumer = opts.bus.transactionalConsumer({ groupId, topics: [topics.relay], fromBeginning: true });
  const checkpoints: TableReader = opts.bus.tableReader(topics.checkpoints);

  const commit = async (p: number) => {
    const st = owned(p);
    if (st.next === null) return;
    await consumer.commit(
      topics.relay,
      p,
      [
        { topic: topics.scores, records: st.scores },
        { topic: topics.alerts, records: st.alerts },
        ...(shadowTopic !== undefined && opts.shadow ? [{ topic: shadowTopic, records: st.shadow }] : []),
        { topic: topics.checkpoints, records: [riskCheckpointRecord(p, st.pipeline.save(), st.next)] },
      ],
      st.next,
    );
    counters.commits++;
    const published = st.scored;
    st.committed = st.next;
    st.scores = [];
    st.alerts = [];
    st.shadow = [];
    st.scored = [];
    for (const s of published) {
      counters.minutes++;
      counters.scores += s.scores.length;
      counters.shadowScores += s.shadow?.length ?? 0;
      counters.alerts += s.alerts.length;
      opts.onScored?.(s);
    }
  };

  // Batches, clock ticks and hand-overs take turns: a partition's pipeline is never seen half-way.
  let turn: Promise<void> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = turn.then(fn);
    turn = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  };

  const handle = (batch: ConsumedBatch) =>
    exclusive(async () => {
      const p = batch.partition;
      const st = owned(p);
      for (const rec of batch.records) {
        if (st.next !== null && rec.offset < st.next) continue;
        const v = decodeJson(rec.value, trafficStatsValidator);
        if (v.ok) {
          const step = st.pipeline.add(v.value, wallClock());
          counters.join[step.outcome]++;
          await score(st, step.emitted);
        } else {
          counters.invalid++;
          log.warn({ partition: p, offset: rec.offset, errors: v.errors }, 'relay record is not a stats record: skipped');
        }
        st.next = rec.offset + 1;
      }
      await commit(p);
    });

  let failTick: (err: unknown) => void = () => undefined;
  const tickFailed = new Promise<never>((_, reject) => (failTick = reject));
  tickFailed.catch(() => undefined);
  const timer = setInterval(() => {
    exclusive(async () => {
      const now = wallClock();
      for (const [p, st] of progress) {
        await score(st, st.pipeline.tick(now));
        if (st.scores.length > 0 || st.alerts.length > 0) await commit(p);
      }
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
          const pipeline = newPipeline(p);
          const saved = await checkpoints.latest(p);
          if (saved) {
            const { offset, state } = readRiskCheckpoint(saved, p);
            pipeline.restore(state);
            resume.set(p, offset);
          }
          const next = resume.get(p) ?? null;
          progress.set(p, { pipeline, next, committed: next, scores: [], alerts: [], shadow: [], scored: [] });
        }
        log.info({ partitions: parts, restored: Object.fromEntries(resume) }, 'partitions assigned');
        return resume;
      }),
    onRevoke: (_topic, parts) =>
      exclusive(async () => {
        for (const p of parts) {
          const st = progress.get(p);
          if (st && (st.next !== st.committed || st.scores.length > 0 || st.alerts.length > 0)) {
            await commit(p).catch((err: unknown) => log.warn({ err, partition: p }, 'commit at hand-over failed; the next owner resumes from the last commit'));
          }
          progress.delete(p);
        }
        log.info({ partitions: parts }, 'partitions revoked');
      }),
  });
  const done = Promise.race([run, tickFailed]);

  return {
    relay,
    weather,
    thresholds: schedule,
    thresholdsFeed,
    counters,
    done,
    positions: () => new Map([...progress].filter(([, st]) => st.next !== null).map(([p, st]) => [p, st.next as number])),
    assigned: () => [...progress.keys()].sort((a, b) => a - b),
    pipeline: (p) => progress.get(p)?.pipeline,
    async stop({ flush = false } = {}) {
      clearInterval(timer);
      await relay.stop();
      if (flush) {
        await exclusive(async () => {
          for (const [p, st] of progress) {
            await score(st, st.pipeline.flush());
            await commit(p);
          }
        });
      }
      await consumer.stop();
      await checkpoints.close();
      await weather.stop();
      await thresholdsFeed?.stop();
      await done;
    },
  };
}

import type { ServiceMetrics } from '@saferoads/shared/service';
import type { RiskRunnerCounters } from '../bus-runner.js';
import type { StatsRelayCounters } from '../bus/relay.js';
import type { JoinOutcome } from '../join/types.js';
import type { ScoredMinute } from '../pipeline.js';
import type { ThresholdsFeedCounters } from '../thresholds/feed.js';
import type { ReloadOutcome, SlotName } from './model-reloader.js';

const JOIN_OUTCOMES: readonly JoinOutcome[] = ['joined', 'late', 'duplicate', 'unknownSegment', 'unneeded'];
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The risk scorer's metrics (docs/risk-scorer.md, "Running the service"). Counters of the relay
 * and the runner are read from their counter objects (sync); what was published comes from each
 * committed minute (published); inferences and models are reported as they happen.
 */
export function riskScorerMetrics(metrics: ServiceMetrics) {
  const records = metrics.counter<'outcome'>({
    name: 'risk_scorer_stats_records_total',
    help: 'traffic.stats records read by the relay: relayed (copied to the partitions that need them) or invalid (dead-lettered with the reason)',
    labelNames: ['outcome'],
  });
  const copies = metrics.counter({ name: 'risk_scorer_relay_copies_total', help: "Copies the relay wrote (a record goes to its segment's partition and its neighbours')" });
  const join = metrics.counter<'outcome'>({
    name: 'risk_scorer_join_records_total',
    help: "Relayed records by what the partition's join did with them: joined, late (its minute was already scored), duplicate, unknown_segment, unneeded",
    labelNames: ['outcome'],
  });
  const invalidRelay = metrics.counter({ name: 'risk_scorer_relay_invalid_total', help: 'Relay-topic records that were not stats records (skipped)' });
  const scoreFailures = metrics.counter<'slot'>({ name: 'risk_scorer_score_failures_total', help: 'Minutes a model failed to score (live: skipped; shadow: no shadow scores)', labelNames: ['slot'] });
  const commits = metrics.counter({ name: 'risk_scorer_commits_total', help: 'Transactions committed: outputs, a partition snapshot and the input offset each' });
  const minutes = metrics.counter<'reason'>({ name: 'risk_scorer_minutes_total', help: 'Minutes scored and published, by why the join let them out', labelNames: ['reason'] });
  const scores = metrics.counter<'level' | 'complete'>({
    name: 'risk_scorer_scores_total',
    help: 'Scores published to risk.scores, by level and by whether every record the segment-minute needed was there',
    labelNames: ['level', 'complete'],
  });
  const missing = metrics.counter({ name: 'risk_scorer_missing_records_total', help: 'Stats records the published minutes went without (own and neighbours\u2019, both windows)' });
  const shadowScores = metrics.counter({ name: 'risk_scorer_shadow_scores_total', help: 'Scores published to risk.scores.shadow' });
  const alerts = metrics.counter<'type'>({ name: 'risk_scorer_alerts_total', help: 'Alert events published to risk.alerts, by type', labelNames: ['type'] });
  const inference = metrics.histogram<'slot'>({
    name: 'risk_scorer_inference_seconds',
    help: 'Wall time of one model inference (a minute of a partition is one, two with RISK_FACTORS_MIN_LEVEL above low)',
    labelNames: ['slot'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  const rows = metrics.histogram<'slot'>({
    name: 'risk_scorer_inference_rows',
    help: 'Rows per inference (segments times factor groups plus two)',
    labelNames: ['slot'],
    buckets: [1, 10, 50, 100, 500, 1_000, 5_000, 10_000, 50_000, 100_000, 500_000, 1_000_000],
  });
  const model = metrics.gauge<'slot' | 'version'>({ name: 'risk_scorer_model_info', help: 'The model scoring in each slot (live, shadow): 1 for its version', labelNames: ['slot', 'version'] });
  const reloads = metrics.counter<'slot' | 'outcome'>({
    name: 'risk_scorer_model_reloads_total',
    help: 'New model files validated at runtime: accepted (now scoring) or refused (the running model kept)',
    labelNames: ['slot', 'outcome'],
  });
  const lag = metrics.gauge<'topic' | 'partition'>({
    name: 'risk_scorer_consumer_lag',
    help: "Records (and transaction markers) of traffic.stats not yet committed by the relay's group, and of the relay topic by the scorer's, per partition",
    labelNames: ['topic', 'partition'],
  });
  const thresholdsRecords = metrics.counter<'outcome'>({
    name: 'risk_scorer_thresholds_records_total',
    help: 'risk.thresholds records read by this instance: applied (a newer version), superseded (not newer than one applied: ignored), invalid (dead-lettered with the reason)',
    labelNames: ['outcome'],
  });
  const thresholdsVersion = metrics.gauge({
    name: 'risk_scorer_thresholds_version',
    help: 'Thresholds version the newest minute published was scored and alerted with (0: the configured defaults)',
  });
  const thresholdsLatest = metrics.gauge({ name: 'risk_scorer_thresholds_latest_version', help: 'Newest thresholds version this instance knows, in force yet or not (0: none)' });
  // Zero series from the start, so a rate() has a first point before anything happens.
  for (const o of ['applied', 'superseded', 'invalid']) thresholdsRecords.inc({ outcome: o }, 0);
  for (const o of ['relayed', 'invalid']) records.inc({ outcome: o }, 0);
  for (const o of JOIN_OUTCOMES) join.inc({ outcome: snake(o) }, 0);
  for (const s of ['live', 'shadow']) scoreFailures.inc({ slot: s }, 0);
  for (const t of ['raised', 'escalated', 'deescalated', 'resolved']) alerts.inc({ type: t }, 0);

  let seenRelay: StatsRelayCounters = { records: 0, copies: 0, invalid: 0 };
  let seenRunner: RiskRunnerCounters | null = null;
  let seenThresholds: ThresholdsFeedCounters = { applied: 0, superseded: 0, invalid: 0, restarts: 0 };
  let newestPublished = Number.NEGATIVE_INFINITY;
  const versions = new Map<SlotName, string>();

  return {
    lag,
    /** Adds what the relay, the runner and the thresholds feed counted since the last call. */
    sync(relay: StatsRelayCounters, runner: RiskRunnerCounters, thresholds?: { readonly feed: ThresholdsFeedCounters | null; readonly latestVersion: number }): void {
      if (thresholds?.feed) {
        for (const o of ['applied', 'superseded', 'invalid'] as const) thresholdsRecords.inc({ outcome: o }, thresholds.feed[o] - seenThresholds[o]);
        seenThresholds = { ...thresholds.feed };
      }
      if (thresholds) thresholdsLatest.set(thresholds.latestVersion);
      records.inc({ outcome: 'relayed' }, relay.records - relay.invalid - (seenRelay.records - seenRelay.invalid));
      records.inc({ outcome: 'invalid' }, relay.invalid - seenRelay.invalid);
      copies.inc(relay.copies - seenRelay.copies);
      seenRelay = { ...relay };
      const before = seenRunner;
      for (const o of JOIN_OUTCOMES) join.inc({ outcome: snake(o) }, runner.join[o] - (before?.join[o] ?? 0));
      invalidRelay.inc(runner.invalid - (before?.invalid ?? 0));
      scoreFailures.inc({ slot: 'live' }, runner.scoreFailures - (before?.scoreFailures ?? 0));
      scoreFailures.inc({ slot: 'shadow' }, runner.shadowFailures - (before?.shadowFailures ?? 0));
      commits.inc(runner.commits - (before?.commits ?? 0));
      seenRunner = { ...runner, join: { ...runner.join } };
    },
    /** A minute once committed. */
    published(m: ScoredMinute): void {
      minutes.inc({ reason: m.minute.reason });
      if (m.minute.windowEndMs >= newestPublished) {
        newestPublished = m.minute.windowEndMs;
        thresholdsVersion.set(m.thresholdsVersion);
      }
      missing.inc(m.minute.missingRecords);
      for (const s of m.scores) scores.inc({ level: s.level, complete: String(s.missing.own.length + s.missing.upstream.length + s.missing.downstream.length === 0) });
      for (const e of m.alerts) alerts.inc({ type: e.type });
      shadowScores.inc(m.shadow?.length ?? 0);
    },
    inference(slot: SlotName, n: number, seconds: number): void {
      inference.observe({ slot }, seconds);
      rows.observe({ slot }, n);
    },
    model(slot: SlotName, version: string): void {
      const old = versions.get(slot);
      if (old !== undefined && old !== version) model.remove({ slot, version: old });
      if (old === undefined) for (const outcome of ['accepted', 'refused']) reloads.inc({ slot, outcome }, 0);
      model.set({ slot, version }, 1);
      versions.set(slot, version);
    },
    reload(r: ReloadOutcome): void {
      reloads.inc({ slot: r.slot, outcome: r.outcome });
      if (r.outcome === 'accepted') this.model(r.slot, r.to);
    },
  };
}
export type RiskScorerMetrics = ReturnType<typeof riskScorerMetrics>;

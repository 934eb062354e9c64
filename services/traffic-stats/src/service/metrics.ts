import type { ServiceMetrics } from '@saferoads/shared/service';
import type { TrafficStats } from '@saferoads/shared/contracts';
import type { StageCounters } from '../stage.js';

type RunnerCounters = StageCounters & { invalid: number; commits: number; checkpointBytes: number };

export type DetectionOutcome = 'accepted' | 'late' | 'out_of_order' | 'duplicate' | 'rejected' | 'invalid';

/** The traffic-stats metrics: detections by outcome, windows out, window-close latency, consumer lag. */
export function statsMetrics(metrics: ServiceMetrics) {
  const detections = metrics.counter<'outcome'>({
    name: 'traffic_stats_detections_total',
    help: 'Detections read from loop.detections, by outcome (out_of_order ones are also accepted)',
    labelNames: ['outcome'],
  });
  const windows = metrics.counter<'window'>({ name: 'traffic_stats_windows_total', help: 'Window records published to traffic.stats', labelNames: ['window'] });
  const closeLatency = metrics.histogram({
    name: 'traffic_stats_window_close_latency_seconds',
    help: 'Wall-clock time from a window closing (the watermark passing its end plus grace) to the commit that makes its record readable',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
  });
  const lag = metrics.gauge<'partition'>({ name: 'traffic_stats_consumer_lag', help: 'Records of loop.detections not yet committed by the group, per partition', labelNames: ['partition'] });
  const commits = metrics.counter({ name: 'traffic_stats_commits_total', help: 'Transactions committed: outputs, a partition snapshot and the input offset each' });
  const checkpointBytes = metrics.counter({ name: 'traffic_stats_checkpoint_bytes_total', help: 'Bytes of partition snapshots written to the checkpoint topic (deflated, base64)' });
  let seen: RunnerCounters = { accepted: 0, late: 0, outOfOrder: 0, duplicates: 0, rejected: 0, windowsClosed: 0, invalid: 0, commits: 0, checkpointBytes: 0 };

  return {
    lag,
    /** Adds what the stage counted since the last call (counters only ever grow). */
    sync(now: RunnerCounters): void {
      detections.inc({ outcome: 'accepted' }, now.accepted - seen.accepted);
      detections.inc({ outcome: 'late' }, now.late - seen.late);
      detections.inc({ outcome: 'out_of_order' }, now.outOfOrder - seen.outOfOrder);
      detections.inc({ outcome: 'duplicate' }, now.duplicates - seen.duplicates);
      detections.inc({ outcome: 'rejected' }, now.rejected - seen.rejected);
      detections.inc({ outcome: 'invalid' }, now.invalid - seen.invalid);
      commits.inc(now.commits - seen.commits);
      checkpointBytes.inc(now.checkpointBytes - seen.checkpointBytes);
      seen = { ...now };
    },
    published(r: TrafficStats, closedAtMs: number, nowMs: number): void {
      windows.inc({ window: r.window });
      closeLatency.observe(Math.max(0, nowMs - closedAtMs) / 1000);
    },
  };
}
export type StatsMetrics = ReturnType<typeof statsMetrics>;

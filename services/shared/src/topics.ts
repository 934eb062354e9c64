import { ConfigError } from './errors.js';

/** Topic names of DESIGN.md; deployments may override them in configuration. */
export const TOPICS = {
  detections: 'loop.detections',
  detectionsDlq: 'loop.detections.dlq',
  detectionsLate: 'loop.detections.late',
  weather: 'weather.observations',
  weatherDlq: 'weather.observations.dlq',
  stats: 'traffic.stats',
  /** Compacted: the traffic-stats stage's state snapshots, one per input partition (docs/exactly-once.md). */
  statsCheckpoints: 'traffic-stats.checkpoints',
  /** traffic.stats records the risk scorer refused (not stats of a known segment), with the reason. */
  statsDlq: 'traffic.stats.dlq',
  /** Internal to the risk scorer: each stats record copied to every partition whose segments need it (docs/risk-scorer.md). */
  riskRelay: 'risk-scorer.stats-by-partition',
  /** Compacted: the risk scorer's join and alert state, one snapshot per relay partition. */
  riskCheckpoints: 'risk-scorer.checkpoints',
  scores: 'risk.scores',
  /** A shadow model's scores of the same minutes as risk.scores, keyed by segment; never alerted on. */
  scoresShadow: 'risk.scores.shadow',
  alerts: 'risk.alerts',
  /** Compacted, key "global": the level thresholds and alert hysteresis admins set through the alert API, versioned (docs/risk-scorer.md#thresholds). */
  thresholds: 'risk.thresholds',
  /** risk.thresholds records the scorers refused, with the reason; keyed by the refused record's position, so compaction keeps one per record. */
  thresholdsDlq: 'risk.thresholds.dlq',
} as const;

export type TopicKey = keyof typeof TOPICS;

/** Topic-level settings a topic needs beyond partitions and replication (used when Saferoads creates it). */
export const TOPIC_CONFIG: Partial<Record<TopicKey, Readonly<Record<string, string>>>> = {
  // A table of one snapshot per input partition: compacted, with room for a large partition's state.
  statsCheckpoints: {
    'cleanup.policy': 'compact',
    'max.message.bytes': String(64 * 1024 * 1024),
    'segment.ms': String(10 * 60_000),
    'min.cleanable.dirty.ratio': '0.1',
  },
  riskCheckpoints: {
    'cleanup.policy': 'compact',
    'max.message.bytes': String(16 * 1024 * 1024),
    'segment.ms': String(10 * 60_000),
    'min.cleanable.dirty.ratio': '0.1',
  },
  // A table of one key: its newest record says what applies to every minute of the replay horizon.
  thresholds: { 'cleanup.policy': 'compact' },
  // Every scorer instance refuses a bad record again on each start; one dead letter per record stays.
  thresholdsDlq: { 'cleanup.policy': 'compact' },
};
export type TopicNames = { readonly [K in TopicKey]: string };

/** The environment variable that renames a topic: statsCheckpoints -> SAFEROADS_TOPIC_STATS_CHECKPOINTS. */
export function topicEnvName(key: TopicKey): string {
  return `SAFEROADS_TOPIC_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** Kafka's own rule for topic names. */
const LEGAL_TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * Topic names with the deployment's renames (SAFEROADS_TOPIC_<KEY>) applied; fails naming every
 * variable that holds no legal Kafka topic name.
 */
export function topicNamesFromEnv(env: Readonly<Record<string, string | undefined>>): TopicNames {
  const names: Record<string, string> = { ...TOPICS };
  const problems: string[] = [];
  for (const key of Object.keys(TOPICS) as TopicKey[]) {
    const v = env[topicEnvName(key)];
    if (v === undefined || v === '') continue;
    if (!LEGAL_TOPIC.test(v) || v === '.' || v === '..') problems.push(`${topicEnvName(key)}: ${JSON.stringify(v)} is not a Kafka topic name (1-249 of a-z A-Z 0-9 . _ -)`);
    else names[key] = v;
  }
  if (problems.length) throw new ConfigError('topics', problems);
  return names as TopicNames;
}

/** What a dead-letter record says about the input it refuses. */
export interface DeadLetter {
  readonly reason: string;
  readonly errors: readonly { field: string; reason: string }[];
  /** Where the record came from; `line` (from 1) when it was one line of a record holding several. */
  readonly source: { readonly topic: string; readonly partition: number; readonly offset: number; readonly line?: number } | null;
  readonly raw: string;
}

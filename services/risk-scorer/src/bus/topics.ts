import type { TopicSpec } from '@saferoads/shared/bus';
import { TOPICS } from '@saferoads/shared/topics';

export interface RiskTopics {
  /** Input: traffic.stats. */
  readonly stats: string;
  /** Refused input records, with their reasons. */
  readonly statsDlq: string;
  /**
   * Internal: every stats record copied to each partition whose segments need it (their own, or
   * a neighbour's), so each partition of the scorer joins on its own (docs/risk-scorer.md).
   */
  readonly relay: string;
  readonly weather: string;
  readonly scores: string;
  readonly alerts: string;
  /** Compacted: each relay partition's newest state snapshot, on the partition of the same number. */
  readonly checkpoints: string;
}

export const DEFAULT_RISK_TOPICS: RiskTopics = {
  stats: TOPICS.stats,
  statsDlq: `${TOPICS.stats}.dlq`,
  relay: 'risk-scorer.stats-by-partition',
  weather: TOPICS.weather,
  scores: TOPICS.scores,
  alerts: TOPICS.alerts,
  checkpoints: 'risk-scorer.checkpoints',
};

/** The topics the scorer writes (and its relay reads), with `partitions` each; the checkpoints compacted. */
export function riskTopicSpecs(partitions: number, topics: RiskTopics = DEFAULT_RISK_TOPICS): TopicSpec[] {
  return [
    ...[topics.statsDlq, topics.relay, topics.scores, topics.alerts].map((name) => ({ name, partitions })),
    { name: topics.checkpoints, partitions, config: { 'cleanup.policy': 'compact', 'max.message.bytes': String(16 * 1024 * 1024) } },
  ];
}

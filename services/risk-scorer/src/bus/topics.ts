import type { TopicSpec } from '@saferoads/shared/bus';
import { TOPIC_CONFIG, TOPICS, type TopicNames } from '@saferoads/shared/topics';

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
  /** A shadow model's scores (written only when the runner has a shadow model). */
  readonly scoresShadow?: string;
  /**
   * Compacted: the thresholds admins set through the alert API, read whole by every instance (no
   * thresholds table without it: the configured defaults apply to every minute).
   */
  readonly thresholds?: string;
  /** Refused thresholds records, with their reasons (needed with `thresholds`). */
  readonly thresholdsDlq?: string;
}

export const DEFAULT_RISK_TOPICS: RiskTopics = {
  stats: TOPICS.stats,
  statsDlq: TOPICS.statsDlq,
  relay: TOPICS.riskRelay,
  weather: TOPICS.weather,
  scores: TOPICS.scores,
  alerts: TOPICS.alerts,
  checkpoints: TOPICS.riskCheckpoints,
  scoresShadow: TOPICS.scoresShadow,
  thresholds: TOPICS.thresholds,
  thresholdsDlq: TOPICS.thresholdsDlq,
};

/** The scorer's topics under a deployment's names (topicNamesFromEnv: the SAFEROADS_TOPIC_* renames). */
export function riskTopicsFrom(names: TopicNames): Required<RiskTopics> {
  return {
    stats: names.stats,
    statsDlq: names.statsDlq,
    relay: names.riskRelay,
    weather: names.weather,
    scores: names.scores,
    alerts: names.alerts,
    checkpoints: names.riskCheckpoints,
    scoresShadow: names.scoresShadow,
    thresholds: names.thresholds,
    thresholdsDlq: names.thresholdsDlq,
  };
}

/**
 * The topics the scorer writes (and its relay reads), with `partitions` each, the checkpoints
 * compacted; and the thresholds table and its dead letters, compacted, one partition each (one key).
 */
export function riskTopicSpecs(partitions: number, topics: RiskTopics = DEFAULT_RISK_TOPICS): TopicSpec[] {
  return [
    ...[topics.statsDlq, topics.relay, topics.scores, topics.alerts, ...(topics.scoresShadow === undefined ? [] : [topics.scoresShadow])].map((name) => ({ name, partitions })),
    { name: topics.checkpoints, partitions, config: { ...TOPIC_CONFIG.riskCheckpoints } },
    ...(topics.thresholds === undefined ? [] : [{ name: topics.thresholds, partitions: 1, config: { ...TOPIC_CONFIG.thresholds } }]),
    ...(topics.thresholdsDlq === undefined ? [] : [{ name: topics.thresholdsDlq, partitions: 1, config: { ...TOPIC_CONFIG.thresholdsDlq } }]),
  ];
}

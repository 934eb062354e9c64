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
  scores: 'risk.scores',
  alerts: 'risk.alerts',
} as const;

export type TopicKey = keyof typeof TOPICS;

/** What a dead-letter record says about the input it refuses. */
export interface DeadLetter {
  readonly reason: string;
  readonly errors: readonly { field: string; reason: string }[];
  readonly source: { readonly topic: string; readonly partition: number; readonly offset: number } | null;
  readonly raw: string;
}

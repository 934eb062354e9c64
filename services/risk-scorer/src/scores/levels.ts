/** Risk levels, lowest first: the index is the level's rank. */
export const RISK_LEVELS = ['low', 'elevated', 'high', 'severe'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export function levelRank(level: RiskLevel): number {
  return RISK_LEVELS.indexOf(level);
}

export interface LevelThresholds {
  readonly elevated: number;
  readonly high: number;
  readonly severe: number;
}

/** The highest level whose threshold `value` reaches (thresholds are inclusive); low below them all. NaN is low. */
export function levelOf(value: number, t: LevelThresholds): RiskLevel {
  if (value >= t.severe) return 'severe';
  if (value >= t.high) return 'high';
  if (value >= t.elevated) return 'elevated';
  return 'low';
}

import type { Factor } from '../scores/occlusion.js';
import type { RiskLevel } from '../scores/levels.js';

/** What the alert state machine reads of a score. */
export interface AlertInput {
  readonly segmentId: string;
  readonly windowEndMs: number;
  readonly level: RiskLevel;
  readonly risk: number;
  readonly relativeRisk: number;
  readonly factors: readonly Factor[];
}

export const ALERT_EVENT_TYPES = ['raised', 'escalated', 'deescalated', 'resolved'] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];

/** One step of an alert's life (risk.alerts). */
export interface AlertEvent {
  /** `<alertId>/<seq>`: unique per event, the same in a replay. */
  readonly eventId: string;
  readonly alertId: string;
  /** 0 for `raised`, then 1, 2, ... */
  readonly seq: number;
  readonly segmentId: string;
  readonly type: AlertEventType;
  /** The alert's level after the event (for `resolved`: the level it had). */
  readonly level: RiskLevel;
  /** The alert's level before the event; null for `raised`. */
  readonly previousLevel: RiskLevel | null;
  /** The minute that caused the event. */
  readonly windowEndMs: number;
  /** The minute the alert was raised in. */
  readonly raisedAtMs: number;
  /** That minute's score. */
  readonly scoreLevel: RiskLevel;
  readonly risk: number;
  readonly relativeRisk: number;
  readonly factors: readonly Factor[];
}

/** What became of one input. */
export type AlertOutcome = 'applied' | 'stale';

export interface AlertCounters {
  minutes: number;
  /** Inputs for a minute at or before the segment's last one (a replayed or repeated score): ignored. */
  stale: number;
  /** Missing minutes that broke a run. */
  gaps: number;
  raised: number;
  escalated: number;
  deescalated: number;
  resolved: number;
}

import type { RiskAlert } from '@saferoads/shared/contracts';
import type { Position } from '@saferoads/shared/network';

/** Alert levels, lowest first (the scorer's RISK_LEVEL_NAMES). */
export type AlertLevel = RiskAlert['level'];
/** A step of an alert's life on risk.alerts. */
export type LifecycleType = RiskAlert['type'];
/** Where an operator has taken the alert: the alert API's status, independent of the lifecycle. */
export type AlertStatus = 'open' | 'acknowledged' | 'resolved';

/** The road segment an alert is on, as the network file describes it (docs/network.md). */
export interface AlertSegment {
  readonly segmentId: string;
  readonly name?: string;
  /** Road number, e.g. `A13`. */
  readonly road?: string;
  /** The carriageway's direction of travel, as the network names it, e.g. `north`. */
  readonly direction: string;
  /** ISO 3166-1 alpha-2, e.g. `AT`. */
  readonly country?: string;
  readonly structure?: 'tunnel' | 'bridge';
  /** The segment's LineString, [lon, lat] in the direction of travel (GeoJSON order). */
  readonly coordinates: readonly Position[];
}

/**
 * One alert as the exports read it: the alert API's row for it with the segment it is on. Every
 * time is epoch milliseconds.
 */
export interface AlertView {
  /** The scorer's deterministic UUID (docs/risk-scorer.md, "Ids"). */
  readonly alertId: string;
  readonly segmentId: string;
  /** The level after the latest lifecycle step (for resolved: the level it had). */
  readonly level: AlertLevel;
  /** The level before the latest step; null for raised. */
  readonly previousLevel?: AlertLevel | null;
  readonly status: AlertStatus;
  /** The latest lifecycle step. */
  readonly lifecycle: LifecycleType;
  /** Its sequence number: 0 for raised, then 1, 2, ... (`eventId` is `<alertId>/<seq>`). */
  readonly seq: number;
  /** The minute the alert was raised in (window end). */
  readonly raisedAtMs: number;
  /** The minute of the latest lifecycle step (window end); raisedAtMs for a raised alert. */
  readonly updatedAtMs: number;
  /** When an operator resolved it, if one did (status resolved before the scorer's resolved step). */
  readonly resolvedAtMs?: number;
  /** The latest step's score: probability of a crash in the model's horizon, 0..1. */
  readonly risk: number;
  /** The same against the road's reference risk (docs/risk-scorer.md, "Scores"). */
  readonly relativeRisk: number;
  readonly factors: readonly { readonly name: string; readonly share: number }[];
  readonly segment: AlertSegment;
}

/** One lifecycle step as the notifier reads it: a risk.alerts record with its segment, when known. */
export type AlertEvent = Pick<
  RiskAlert,
  'eventId' | 'alertId' | 'seq' | 'segmentId' | 'type' | 'level' | 'previousLevel' | 'windowEndMs' | 'raisedAtMs' | 'risk' | 'relativeRisk' | 'factors'
> & { readonly segment?: AlertSegment };

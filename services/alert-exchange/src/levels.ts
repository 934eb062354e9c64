import type { AlertLevel } from './types.js';

/** Levels lowest first, so a level's index orders them. */
export const ALERT_LEVELS: readonly AlertLevel[] = ['low', 'elevated', 'high', 'severe'];

export function levelRank(level: AlertLevel): number {
  return ALERT_LEVELS.indexOf(level);
}

export function atLeast(level: AlertLevel, min: AlertLevel): boolean {
  return levelRank(level) >= levelRank(min);
}

export type CapUrgency = 'Immediate' | 'Expected' | 'Future' | 'Past' | 'Unknown';
export type CapSeverity = 'Extreme' | 'Severe' | 'Moderate' | 'Minor' | 'Unknown';
export type CapCertainty = 'Observed' | 'Likely' | 'Possible' | 'Unlikely' | 'Unknown';

/**
 * CAP 1.2 urgency, severity and certainty of an open alert by level (docs/alert-exchange.md gives
 * the reasons). A resolved alert keeps its level's severity and certainty with urgency Past.
 * `low` only appears on an alert raised with raiseLevel low, which the defaults never do.
 */
export const CAP_LEVELS: Readonly<Record<AlertLevel, { urgency: CapUrgency; severity: CapSeverity; certainty: CapCertainty }>> = {
  low: { urgency: 'Future', severity: 'Minor', certainty: 'Unlikely' },
  elevated: { urgency: 'Expected', severity: 'Minor', certainty: 'Possible' },
  high: { urgency: 'Immediate', severity: 'Moderate', certainty: 'Likely' },
  severe: { urgency: 'Immediate', severity: 'Severe', certainty: 'Likely' },
};

export type DatexSeverity = 'highest' | 'high' | 'medium' | 'low' | 'lowest' | 'none' | 'unknown';
export type DatexProbability = 'certain' | 'probable' | 'riskOf';
export type DatexDrivingCondition = 'passableWithCare' | 'hazardous' | 'veryHazardous';

/** DATEX II v3 severity, probability of occurrence and driving condition type by level. */
export const DATEX_LEVELS: Readonly<Record<AlertLevel, { severity: DatexSeverity; probability: DatexProbability; drivingCondition: DatexDrivingCondition }>> = {
  low: { severity: 'low', probability: 'riskOf', drivingCondition: 'passableWithCare' },
  elevated: { severity: 'medium', probability: 'riskOf', drivingCondition: 'passableWithCare' },
  high: { severity: 'high', probability: 'riskOf', drivingCondition: 'hazardous' },
  severe: { severity: 'highest', probability: 'probable', drivingCondition: 'veryHazardous' },
};

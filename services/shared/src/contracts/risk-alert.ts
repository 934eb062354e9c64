import { Type, type Static } from '@sinclair/typebox';
import { RISK_LEVEL_NAMES, RiskFactorSchema } from './risk-score.js';
import { compileValidator, stringEnum } from './validate.js';

export const RISK_ALERT_TYPES = ['raised', 'escalated', 'deescalated', 'resolved'] as const;

const level = () => stringEnum(RISK_LEVEL_NAMES);

/**
 * risk.alerts: one step of an alert's life (keyed by segmentId). Ids are deterministic, so a
 * replay publishes the same ids (docs/risk-scorer.md).
 */
export const RiskAlertSchema = Type.Object(
  {
    /** `<alertId>/<seq>`. */
    eventId: Type.String({ minLength: 1, maxLength: 120 }),
    /** A UUID made from the segment and the minute the alert was raised in. */
    alertId: Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }),
    /** 0 for raised, then 1, 2, ... */
    seq: Type.Integer({ minimum: 0 }),
    segmentId: Type.String({ minLength: 1, maxLength: 64 }),
    type: stringEnum(RISK_ALERT_TYPES),
    /** The alert's level after the event (for resolved: the level it had). */
    level: level(),
    previousLevel: Type.Union([level(), Type.Null()]),
    /** The minute that caused the event. */
    windowEndMs: Type.Integer(),
    raisedAtMs: Type.Integer(),
    /** That minute's score. */
    scoreLevel: level(),
    risk: Type.Number({ minimum: 0, maximum: 1 }),
    relativeRisk: Type.Number({ minimum: 0 }),
    factors: Type.Array(RiskFactorSchema, { maxItems: 20 }),
    modelVersion: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { $id: 'RiskAlert', additionalProperties: false },
);
export type RiskAlert = Static<typeof RiskAlertSchema>;

export const riskAlertValidator = compileValidator(RiskAlertSchema);

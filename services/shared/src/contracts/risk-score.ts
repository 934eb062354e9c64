import { Type, type Static } from '@sinclair/typebox';
import { WINDOW_NAMES } from './stats.js';
import { compileValidator, stringEnum } from './validate.js';

export const RISK_LEVEL_NAMES = ['low', 'elevated', 'high', 'severe'] as const;

const probability = () => Type.Number({ minimum: 0, maximum: 1 });

/** A factor behind a score: a feature group and its share of the risk the contributing groups add (docs/risk-scorer.md). */
export const RiskFactorSchema = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }), share: probability() }, { additionalProperties: false });

/** A record a score went without: the segment's own window, or a neighbour's. */
export const MissingStatsSchema = Type.Object(
  {
    side: stringEnum(['own', 'upstream', 'downstream']),
    segmentId: Type.String({ minLength: 1, maxLength: 64 }),
    window: stringEnum(WINDOW_NAMES),
  },
  { additionalProperties: false },
);

/**
 * risk.scores: one segment's crash-risk score for one minute (keyed by segmentId). Definitions:
 * docs/risk-scorer.md.
 */
export const RiskScoreSchema = Type.Object(
  {
    segmentId: Type.String({ minLength: 1, maxLength: 64 }),
    /** End of the scored 1-minute window. */
    windowEndMs: Type.Integer(),
    /** The model's probability of at least one crash on the segment within its horizon. */
    risk: probability(),
    /** The model's risk for the segment in reference conditions (its road layout kept). */
    baselineRisk: probability(),
    relativeRisk: Type.Number({ minimum: 0 }),
    level: stringEnum(RISK_LEVEL_NAMES),
    factors: Type.Array(RiskFactorSchema, { maxItems: 20 }),
    modelVersion: Type.String({ minLength: 1, maxLength: 100 }),
    /** Every record the segment-minute needed was joined. */
    complete: Type.Boolean(),
    missing: Type.Array(MissingStatsSchema),
    /** Features that took their default. */
    defaults: Type.Integer({ minimum: 0 }),
    /** The model's inputs by feature name, when the scorer publishes them. */
    features: Type.Optional(Type.Record(Type.String(), Type.Number())),
  },
  { $id: 'RiskScore', additionalProperties: false },
);
export type RiskScore = Static<typeof RiskScoreSchema>;

export const riskScoreValidator = compileValidator(RiskScoreSchema);

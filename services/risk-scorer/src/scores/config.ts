import { Type, type Static } from '@sinclair/typebox';
import { stringEnum } from '@saferoads/shared/contracts';
import { configBuilder } from '../config-check.js';

export const ScoresConfigSchema = Type.Object(
  {
    /**
     * What the level thresholds apply to. relativeRisk (the default) does not depend on the crash
     * rates the model was trained at (docs/model.md, crashRateScale); risk is the probability itself.
     */
    levelBasis: stringEnum(['relativeRisk', 'risk']),
    /** Inclusive lower bounds of each level on levelBasis, strictly increasing. */
    levels: Type.Object(
      { elevated: Type.Number({ exclusiveMinimum: 0 }), high: Type.Number({ exclusiveMinimum: 0 }), severe: Type.Number({ exclusiveMinimum: 0 }) },
      { additionalProperties: false },
    ),
    /** Factors reported per score (the top contributors). */
    topFactors: Type.Integer({ minimum: 0, maximum: 20 }),
    /**
     * Factors are computed for scores at or above this level only. low (the default): every score,
     * in one inference. Higher: a first inference scores every segment and its baseline, a second
     * explains the ones at this level or above (a national network scores in a fraction of the time).
     */
    factorsMinLevel: stringEnum(['low', 'elevated', 'high', 'severe']),
    /** relativeRisk divides by the baseline risk, but never by less than this. */
    minBaselineRisk: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
  },
  { additionalProperties: false },
);
export type ScoresConfig = Static<typeof ScoresConfigSchema>;

export const DEFAULT_SCORES_CONFIG: ScoresConfig = {
  levelBasis: 'relativeRisk',
  levels: { elevated: 2, high: 3.5, severe: 6 },
  topFactors: 3,
  factorsMinLevel: 'low',
  minBaselineRisk: 1e-6,
};

export const scoresConfig = configBuilder('risk-scorer scores', ScoresConfigSchema, DEFAULT_SCORES_CONFIG, (c) => {
  const problems: string[] = [];
  const { elevated, high, severe } = c.levels;
  if (!(elevated < high)) problems.push(`levels.high: must be above levels.elevated (${elevated}), got ${high}`);
  if (!(high < severe)) problems.push(`levels.severe: must be above levels.high (${high}), got ${severe}`);
  if (c.levelBasis === 'risk' && severe > 1) problems.push(`levels.severe: a probability threshold must be <= 1, got ${severe}`);
  return problems;
});

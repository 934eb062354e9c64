import { Type, type Static } from '@sinclair/typebox';
import { LEVEL_BASES, LevelThresholdsSchema, formatFieldErrors, levelThresholdsProblems, stringEnum } from '@saferoads/shared/contracts';
import { configBuilder } from '../config-check.js';

export const ScoresConfigSchema = Type.Object(
  {
    /**
     * What the level thresholds apply to. relativeRisk (the default) does not depend on the crash
     * rates the model was trained at (docs/model.md, crashRateScale); risk is the probability itself.
     */
    levelBasis: stringEnum(LEVEL_BASES),
    /**
     * Inclusive lower bounds of each level on levelBasis, strictly increasing: the defaults until
     * an admin sets thresholds through the alert API (risk.thresholds, the same contract).
     */
    levels: LevelThresholdsSchema,
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

export const scoresConfig = configBuilder('risk-scorer scores', ScoresConfigSchema, DEFAULT_SCORES_CONFIG, (c) =>
  levelThresholdsProblems(c.levelBasis, c.levels, (f) => (f === 'levelBasis' ? f : `levels.${f}`)).map((p) => formatFieldErrors([p])),
);

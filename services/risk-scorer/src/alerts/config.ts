import { Type, type Static } from '@sinclair/typebox';
import { stringEnum } from '@saferoads/shared/contracts';
import { configBuilder } from '../config-check.js';
import { levelRank } from '../scores/levels.js';

const alertLevel = stringEnum(['elevated', 'high', 'severe']);
const minutes = Type.Integer({ minimum: 1, maximum: 1440 });

export const AlertConfigSchema = Type.Object(
  {
    /** A minute at or above this level counts towards raising an alert. */
    raiseLevel: alertLevel,
    /** Consecutive minutes at or above raiseLevel that raise an alert. */
    raiseAfterMinutes: minutes,
    /** Consecutive minutes above the alert's level that escalate it (to the level they all reach). */
    escalateAfterMinutes: minutes,
    /** Consecutive minutes below the alert's level that de-escalate it (to the highest of them, at least clearBelow). */
    deescalateAfterMinutes: minutes,
    /** A minute below this level is clear; at most raiseLevel. */
    clearBelow: alertLevel,
    /** Consecutive clear minutes that resolve an alert. */
    resolveAfterMinutes: minutes,
  },
  { additionalProperties: false },
);
export type AlertConfig = Static<typeof AlertConfigSchema>;

export const DEFAULT_ALERT_CONFIG: AlertConfig = {
  raiseLevel: 'high',
  raiseAfterMinutes: 3,
  escalateAfterMinutes: 1,
  deescalateAfterMinutes: 3,
  clearBelow: 'elevated',
  resolveAfterMinutes: 5,
};

export const alertConfig = configBuilder('risk-scorer alerts', AlertConfigSchema, DEFAULT_ALERT_CONFIG, (c) =>
  levelRank(c.clearBelow) > levelRank(c.raiseLevel)
    ? [`clearBelow: must not be above raiseLevel ("${c.raiseLevel}"), got "${c.clearBelow}" (a minute could raise an alert and count towards resolving it)`]
    : [],
);

import type { Static } from '@sinclair/typebox';
import { AlertThresholdsSchema, alertThresholdsProblems, formatFieldErrors } from '@saferoads/shared/contracts';
import { configBuilder } from '../config-check.js';

/**
 * The alert machine's settings: the alert half of the thresholds contract
 * (@saferoads/shared/contracts), so what an admin sets through the alert API is checked by the
 * same schema and rules as the scorer's own configuration.
 */
export const AlertConfigSchema = AlertThresholdsSchema;
export type AlertConfig = Static<typeof AlertConfigSchema>;

export const DEFAULT_ALERT_CONFIG: AlertConfig = {
  raiseLevel: 'high',
  raiseAfterMinutes: 3,
  escalateAfterMinutes: 1,
  deescalateAfterMinutes: 3,
  clearBelow: 'elevated',
  resolveAfterMinutes: 5,
};

export const alertConfig = configBuilder('risk-scorer alerts', AlertConfigSchema, DEFAULT_ALERT_CONFIG, (c) => alertThresholdsProblems(c, (f) => f).map((p) => formatFieldErrors([p])));

import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_CONFIG } from '../alerts/config.js';
import { DEFAULT_JOIN_CONFIG } from '../join/config.js';
import { DEFAULT_SCORES_CONFIG } from '../scores/config.js';
import { coreConfig, riskScorerServiceConfig } from './config.js';
import { DEFAULT_MODEL_PATH } from './model-files.js';

describe('risk-scorer service configuration', () => {
  it("defaults to the committed model and the core's own defaults", () => {
    const c = riskScorerServiceConfig({});
    expect(c).toMatchObject({ port: 8084, modelPath: DEFAULT_MODEL_PATH, modelWatchIntervalMs: 10_000, modelReloadOnSighup: true, groupId: 'risk-scorer', includeFeatures: true });
    expect(c.shadowModelPath).toBeUndefined();
    expect(coreConfig(c)).toEqual({ join: DEFAULT_JOIN_CONFIG, scores: DEFAULT_SCORES_CONFIG, alerts: DEFAULT_ALERT_CONFIG });
  });

  it('reads every core setting from its variable', () => {
    const c = riskScorerServiceConfig({
      RISK_JOIN_MAX_WAIT_MS: '2500',
      RISK_JOIN_MAX_OPEN_MINUTES: '5',
      RISK_LEVEL_BASIS: 'risk',
      RISK_LEVEL_ELEVATED: '0.01',
      RISK_LEVEL_HIGH: '0.02',
      RISK_LEVEL_SEVERE: '0.05',
      RISK_TOP_FACTORS: '2',
      RISK_FACTORS_MIN_LEVEL: 'elevated',
      RISK_MIN_BASELINE_RISK: '1e-5',
      RISK_ALERT_RAISE_LEVEL: 'severe',
      RISK_ALERT_RAISE_AFTER_MINUTES: '4',
      RISK_ALERT_ESCALATE_AFTER_MINUTES: '2',
      RISK_ALERT_DEESCALATE_AFTER_MINUTES: '6',
      RISK_ALERT_CLEAR_BELOW: 'high',
      RISK_ALERT_RESOLVE_AFTER_MINUTES: '10',
    });
    expect(coreConfig(c)).toEqual({
      join: { maxWaitMs: 2500, maxOpenMinutes: 5 },
      scores: { levelBasis: 'risk', levels: { elevated: 0.01, high: 0.02, severe: 0.05 }, topFactors: 2, factorsMinLevel: 'elevated', minBaselineRisk: 1e-5 },
      alerts: { raiseLevel: 'severe', raiseAfterMinutes: 4, escalateAfterMinutes: 2, deescalateAfterMinutes: 6, clearBelow: 'high', resolveAfterMinutes: 10 },
    });
  });

  it.each([
    [{ RISK_MODEL_WATCH_INTERVAL_MS: '10s' }, 'RISK_MODEL_WATCH_INTERVAL_MS: must be a number, got "10s"'],
    [{ RISK_LEVEL_BASIS: 'odds' }, 'RISK_LEVEL_BASIS: must be one of "relativeRisk", "risk", got "odds"'],
    [{ RISK_ALERT_RAISE_AFTER_MINUTES: '0' }, 'RISK_ALERT_RAISE_AFTER_MINUTES: must be >= 1, got 0'],
    [{ RISK_LEVEL_HIGH: '1.5' }, 'RISK_LEVEL_HIGH: must be above RISK_LEVEL_ELEVATED (2), got 1.5'],
    [{ RISK_LEVEL_BASIS: 'risk' }, 'RISK_LEVEL_SEVERE: must be <= 1 with RISK_LEVEL_BASIS "risk" (a probability), got 6'],
    [{ RISK_ALERT_CLEAR_BELOW: 'severe' }, 'RISK_ALERT_CLEAR_BELOW: must not be above RISK_ALERT_RAISE_LEVEL ("high"), got "severe" (a minute could raise an alert and count towards resolving it)'],
    [{ RISK_SHADOW_MODEL_PATH: DEFAULT_MODEL_PATH }, 'RISK_SHADOW_MODEL_PATH: is the live model (RISK_MODEL_PATH); a shadow model is another model'],
    [{ RISK_SHADOW_MODEL_METADATA_PATH: '/m.json' }, 'RISK_SHADOW_MODEL_METADATA_PATH: set without RISK_SHADOW_MODEL_PATH'],
  ])('refuses %o: %s', (env, message) => {
    expect(() => riskScorerServiceConfig(env)).toThrow(`invalid risk-scorer configuration: ${message}`);
  });

  it('lists every bad variable in one error', () => {
    expect(() => riskScorerServiceConfig({ PORT: 'http', RISK_TICK_MS: '5', RISK_MODEL_RELOAD_ON_SIGHUP: 'maybe' })).toThrow(
      'invalid risk-scorer configuration: PORT: must be a number, got "http"; RISK_MODEL_RELOAD_ON_SIGHUP: must be true or false (also 1/0, yes/no, on/off), got "maybe"; RISK_TICK_MS: must be >= 100, got 5',
    );
  });
});

import { Type, type Static, type TUnsafe } from '@sinclair/typebox';
import { DEFAULT_FEATURE_SPEC_PATH } from '@saferoads/model-spec';
import { ALERT_LEVEL_NAMES, LEVEL_BASES, alertThresholdsProblems, formatFieldErrors, levelThresholdsProblems } from '@saferoads/shared/contracts';
import { ConfigError } from '@saferoads/shared/errors';
import { envConfig, type Env } from '@saferoads/shared/service';
import { DEFAULT_ALERT_CONFIG, type AlertConfig } from '../alerts/config.js';
import { DEFAULT_JOIN_CONFIG, type JoinConfig } from '../join/config.js';
import { DEFAULT_SCORES_CONFIG, type ScoresConfig } from '../scores/config.js';
import { DEFAULT_MODEL_PATH } from './model-files.js';

/** An enumeration read from a variable (the schema keywords envConfig understands), with its default. */
function envEnum<const T extends readonly string[]>(values: T, opts: { env: string; default: T[number]; description: string }): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...opts });
}

const LEVELS = ALERT_LEVEL_NAMES;
const minutes = (env: string, def: number, description: string) => Type.Integer({ env, minimum: 1, maximum: 1440, default: def, description });
const threshold = (env: string, def: number, description: string) => Type.Number({ env, exclusiveMinimum: 0, default: def, description });
const path = (env: string, description: string) => Type.Optional(Type.String({ env, minLength: 1, description }));

/**
 * The risk-scorer service's configuration from the environment (docs/risk-scorer.md, "Running
 * the service"); Kafka comes from the KAFKA_* variables and topic names from SAFEROADS_TOPIC_*.
 */
export const RiskScorerServiceConfigSchema = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65_535, default: 8084, description: 'TCP port of the ops endpoints (/healthz, /readyz, /metrics)' }),
  host: Type.String({ minLength: 1, default: '0.0.0.0', description: 'Address the ops endpoints bind to' }),
  networkFile: Type.Optional(Type.String({ minLength: 1, description: 'Road network GeoJSON; the bundled demo network when unset' })),
  specPath: Type.String({ env: 'RISK_SPEC_PATH', minLength: 1, default: DEFAULT_FEATURE_SPEC_PATH, description: 'The feature specification the rows are built from (models/feature-spec.json)' }),
  modelPath: Type.String({ env: 'RISK_MODEL_PATH', minLength: 1, default: DEFAULT_MODEL_PATH, description: 'The live model (ONNX); refused at start: the service does not start' }),
  modelMetadataPath: path('RISK_MODEL_METADATA_PATH', "The live model's metadata; the model path with .json for .onnx when unset"),
  shadowModelPath: path('RISK_SHADOW_MODEL_PATH', 'A shadow model (ONNX) scoring beside the live one onto risk.scores.shadow; none when unset'),
  shadowModelMetadataPath: path('RISK_SHADOW_MODEL_METADATA_PATH', "The shadow model's metadata; the shadow model path with .json for .onnx when unset"),
  modelWatchIntervalMs: Type.Integer({
    env: 'RISK_MODEL_WATCH_INTERVAL_MS',
    minimum: 0,
    maximum: 3_600_000,
    default: 10_000,
    description: 'How often the model files are checked for a new model (mtime, size, sha256); 0 turns the polling off',
  }),
  modelReloadOnSighup: Type.Boolean({ env: 'RISK_MODEL_RELOAD_ON_SIGHUP', default: true, description: 'SIGHUP checks the model files at once' }),
  onnxThreads: Type.Integer({ env: 'RISK_ONNX_THREADS', minimum: 1, maximum: 64, default: 1, description: "onnxruntime's threads per inference" }),
  groupId: Type.String({ env: 'RISK_GROUP_ID', minLength: 1, default: 'risk-scorer', description: "Consumer group of the scorer; the relay's is <group>-relay" }),
  joinMaxWaitMs: Type.Integer({
    env: 'RISK_JOIN_MAX_WAIT_MS',
    minimum: 0,
    maximum: 600_000,
    default: DEFAULT_JOIN_CONFIG.maxWaitMs,
    description: "Longest a minute waits from its first record for the rest (a neighbour's stats); then it is scored with what it has",
  }),
  joinMaxOpenMinutes: Type.Integer({ env: 'RISK_JOIN_MAX_OPEN_MINUTES', minimum: 1, maximum: 1440, default: DEFAULT_JOIN_CONFIG.maxOpenMinutes, description: 'Open minutes per partition before the oldest is scored' }),
  levelBasis: envEnum(LEVEL_BASES, { env: 'RISK_LEVEL_BASIS', default: DEFAULT_SCORES_CONFIG.levelBasis, description: 'What the level thresholds apply to' }),
  levelElevated: threshold('RISK_LEVEL_ELEVATED', DEFAULT_SCORES_CONFIG.levels.elevated, 'Lower bound of elevated'),
  levelHigh: threshold('RISK_LEVEL_HIGH', DEFAULT_SCORES_CONFIG.levels.high, 'Lower bound of high'),
  levelSevere: threshold('RISK_LEVEL_SEVERE', DEFAULT_SCORES_CONFIG.levels.severe, 'Lower bound of severe'),
  topFactors: Type.Integer({ env: 'RISK_TOP_FACTORS', minimum: 0, maximum: 20, default: DEFAULT_SCORES_CONFIG.topFactors, description: 'Factors per score' }),
  factorsMinLevel: envEnum(['low', 'elevated', 'high', 'severe'], {
    env: 'RISK_FACTORS_MIN_LEVEL',
    default: DEFAULT_SCORES_CONFIG.factorsMinLevel,
    description: 'Explain only scores at or above this level (a second, smaller inference)',
  }),
  minBaselineRisk: Type.Number({ env: 'RISK_MIN_BASELINE_RISK', exclusiveMinimum: 0, maximum: 1, default: DEFAULT_SCORES_CONFIG.minBaselineRisk, description: 'Smallest divisor of relativeRisk' }),
  alertRaiseLevel: envEnum(LEVELS, { env: 'RISK_ALERT_RAISE_LEVEL', default: DEFAULT_ALERT_CONFIG.raiseLevel, description: 'A minute at or above it counts towards raising an alert' }),
  alertRaiseAfterMinutes: minutes('RISK_ALERT_RAISE_AFTER_MINUTES', DEFAULT_ALERT_CONFIG.raiseAfterMinutes, 'Minutes at or above the raise level that raise an alert'),
  alertEscalateAfterMinutes: minutes('RISK_ALERT_ESCALATE_AFTER_MINUTES', DEFAULT_ALERT_CONFIG.escalateAfterMinutes, "Minutes above the alert's level that escalate it"),
  alertDeescalateAfterMinutes: minutes('RISK_ALERT_DEESCALATE_AFTER_MINUTES', DEFAULT_ALERT_CONFIG.deescalateAfterMinutes, "Minutes below the alert's level that de-escalate it"),
  alertClearBelow: envEnum(LEVELS, { env: 'RISK_ALERT_CLEAR_BELOW', default: DEFAULT_ALERT_CONFIG.clearBelow, description: 'A minute below it is clear' }),
  alertResolveAfterMinutes: minutes('RISK_ALERT_RESOLVE_AFTER_MINUTES', DEFAULT_ALERT_CONFIG.resolveAfterMinutes, 'Clear minutes that resolve an alert'),
  includeFeatures: Type.Boolean({ env: 'RISK_INCLUDE_FEATURES', default: true, description: "Publish each score's features by name" }),
  tickMs: Type.Integer({ env: 'RISK_TICK_MS', minimum: 100, maximum: 60_000, default: 1_000, description: 'How often minutes whose wait ran out are scored' }),
  lagIntervalMs: Type.Integer({ env: 'RISK_LAG_INTERVAL_MS', minimum: 1_000, maximum: 600_000, default: 10_000, description: 'How often consumer lag is measured for /metrics' }),
  shutdownTimeoutMs: Type.Integer({ env: 'SHUTDOWN_TIMEOUT_MS', minimum: 1_000, maximum: 600_000, default: 25_000, description: 'Longest a graceful shutdown may take' }),
});
export type RiskScorerServiceConfig = Static<typeof RiskScorerServiceConfigSchema>;

/** The checks one variable's schema cannot make, each naming the variables involved. */
function crossChecks(c: RiskScorerServiceConfig): string[] {
  // The thresholds contract's own rules, each field named by its variable.
  const { scores, alerts } = coreConfig(c);
  const problems = [
    ...levelThresholdsProblems(scores.levelBasis, scores.levels, (f) => (f === 'levelBasis' ? 'RISK_LEVEL_BASIS' : `RISK_LEVEL_${f.toUpperCase()}`)),
    ...alertThresholdsProblems(alerts, (f) => (f === 'raiseLevel' ? 'RISK_ALERT_RAISE_LEVEL' : 'RISK_ALERT_CLEAR_BELOW')),
  ].map((p) => formatFieldErrors([p]));
  if (c.shadowModelPath !== undefined && c.shadowModelPath === c.modelPath) problems.push('RISK_SHADOW_MODEL_PATH: is the live model (RISK_MODEL_PATH); a shadow model is another model');
  if (c.shadowModelMetadataPath !== undefined && c.shadowModelPath === undefined) problems.push('RISK_SHADOW_MODEL_METADATA_PATH: set without RISK_SHADOW_MODEL_PATH');
  return problems;
}

export function riskScorerServiceConfig(env: Env = process.env): RiskScorerServiceConfig {
  const c = envConfig(RiskScorerServiceConfigSchema, env, 'risk-scorer');
  const problems = crossChecks(c);
  if (problems.length > 0) throw new ConfigError('risk-scorer', problems);
  return c;
}

/** The core's configuration (join, scores, alerts) as the service's variables set it. */
export function coreConfig(c: RiskScorerServiceConfig): { join: JoinConfig; scores: ScoresConfig; alerts: AlertConfig } {
  return {
    join: { maxWaitMs: c.joinMaxWaitMs, maxOpenMinutes: c.joinMaxOpenMinutes },
    scores: {
      levelBasis: c.levelBasis,
      levels: { elevated: c.levelElevated, high: c.levelHigh, severe: c.levelSevere },
      topFactors: c.topFactors,
      factorsMinLevel: c.factorsMinLevel,
      minBaselineRisk: c.minBaselineRisk,
    },
    alerts: {
      raiseLevel: c.alertRaiseLevel,
      raiseAfterMinutes: c.alertRaiseAfterMinutes,
      escalateAfterMinutes: c.alertEscalateAfterMinutes,
      deescalateAfterMinutes: c.alertDeescalateAfterMinutes,
      clearBelow: c.alertClearBelow,
      resolveAfterMinutes: c.alertResolveAfterMinutes,
    },
  };
}

import { Type, type Static } from '@sinclair/typebox';
import { RISK_LEVEL_NAMES } from './risk-score.js';
import { compileValidator, stringEnum, type FieldError, type Validation, type Validator } from './validate.js';

/** What the level cut points apply to (docs/risk-scorer.md#scores). */
export const LEVEL_BASES = ['relativeRisk', 'risk'] as const;
export type LevelBasis = (typeof LEVEL_BASES)[number];

/** The levels an alert can have: low never raises one. */
export const ALERT_LEVEL_NAMES = ['elevated', 'high', 'severe'] as const;
export type AlertLevelName = (typeof ALERT_LEVEL_NAMES)[number];

const cutPoint = () => Type.Number({ exclusiveMinimum: 0 });
const minutes = () => Type.Integer({ minimum: 1, maximum: 1440 });

/** Inclusive lower bounds of each level on the level basis, strictly increasing. */
export const LevelThresholdsSchema = Type.Object({ elevated: cutPoint(), high: cutPoint(), severe: cutPoint() }, { additionalProperties: false });
export type LevelThresholdValues = Static<typeof LevelThresholdsSchema>;

/** The alert state machine's hysteresis (docs/risk-scorer.md#alerts). */
export const AlertThresholdsSchema = Type.Object(
  {
    /** A minute at or above this level counts towards raising an alert. */
    raiseLevel: stringEnum(ALERT_LEVEL_NAMES),
    /** Consecutive minutes at or above raiseLevel that raise an alert. */
    raiseAfterMinutes: minutes(),
    /** Consecutive minutes above the alert's level that escalate it (to the level they all reach). */
    escalateAfterMinutes: minutes(),
    /** Consecutive minutes below the alert's level that de-escalate it (to the highest of them, at least clearBelow). */
    deescalateAfterMinutes: minutes(),
    /** A minute below this level is clear; at most raiseLevel. */
    clearBelow: stringEnum(ALERT_LEVEL_NAMES),
    /** Consecutive clear minutes that resolve an alert. */
    resolveAfterMinutes: minutes(),
  },
  { additionalProperties: false },
);
export type AlertThresholds = Static<typeof AlertThresholdsSchema>;

/** Everything an admin sets at runtime: the level cut points and the alert hysteresis. */
export const RiskThresholdsSchema = Type.Object(
  { levelBasis: stringEnum(LEVEL_BASES), levels: LevelThresholdsSchema, alerts: AlertThresholdsSchema },
  { additionalProperties: false },
);
export type RiskThresholds = Static<typeof RiskThresholdsSchema>;

const rank = (level: string) => (RISK_LEVEL_NAMES as readonly string[]).indexOf(level);

/**
 * The rules of level cut points a schema cannot state: strictly increasing, and at most 1 when
 * they are probabilities. `name` says how the caller calls each field (a JSON path, a variable).
 */
export function levelThresholdsProblems(basis: LevelBasis, levels: LevelThresholdValues, name: (field: 'levelBasis' | keyof LevelThresholdValues) => string): FieldError[] {
  const problems: FieldError[] = [];
  const { elevated, high, severe } = levels;
  if (!(elevated < high)) problems.push({ field: name('high'), reason: `must be above ${name('elevated')} (${elevated}), got ${high}` });
  if (!(high < severe)) problems.push({ field: name('severe'), reason: `must be above ${name('high')} (${high}), got ${severe}` });
  if (basis === 'risk' && severe > 1) problems.push({ field: name('severe'), reason: `must be <= 1 with ${name('levelBasis')} "risk" (a probability), got ${severe}` });
  return problems;
}

/** The alert rule a schema cannot state: clearBelow not above raiseLevel. */
export function alertThresholdsProblems(a: AlertThresholds, name: (field: 'raiseLevel' | 'clearBelow') => string): FieldError[] {
  if (rank(a.clearBelow) <= rank(a.raiseLevel)) return [];
  return [{ field: name('clearBelow'), reason: `must not be above ${name('raiseLevel')} ("${a.raiseLevel}"), got "${a.clearBelow}" (a minute could raise an alert and count towards resolving it)` }];
}

/** Every cross-field problem of schema-valid thresholds, fields named as JSON paths under `prefix`. */
export function thresholdsProblems(t: RiskThresholds, prefix = ''): FieldError[] {
  return [
    ...levelThresholdsProblems(t.levelBasis, t.levels, (f) => (f === 'levelBasis' ? `${prefix}levelBasis` : `${prefix}levels.${f}`)),
    ...alertThresholdsProblems(t.alerts, (f) => `${prefix}alerts.${f}`),
  ];
}

const MINUTE_MS = 60_000;

/** One version of the thresholds and the event time it applies from. */
export const ThresholdsEntrySchema = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    /** Applies to every minute whose window ends at or after this (a minute boundary). */
    effectiveFromMs: Type.Integer({ minimum: 0, multipleOf: MINUTE_MS }),
    thresholds: RiskThresholdsSchema,
  },
  { additionalProperties: false },
);
export type ThresholdsEntry = Static<typeof ThresholdsEntrySchema>;

/** Most versions a record carries beside its own. */
export const MAX_EARLIER_THRESHOLDS = 1_000;

/**
 * risk.thresholds (compacted, key "global"): a version of the thresholds as an admin set it
 * through the alert API, with the earlier versions that still apply to some minute of the replay
 * horizon, so the newest record alone tells a scorer what applied to every minute of it
 * (docs/risk-scorer.md#thresholds).
 */
export const RiskThresholdsRecordSchema = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    effectiveFromMs: Type.Integer({ minimum: 0, multipleOf: MINUTE_MS }),
    thresholds: RiskThresholdsSchema,
    /** Who set it: the API key's name or the JWT's subject. */
    setBy: Type.String({ minLength: 1, maxLength: 200 }),
    /** Wall-clock time the API stored it. */
    setAtMs: Type.Integer({ minimum: 0 }),
    note: Type.String({ minLength: 1, maxLength: 1000 }),
    /** Earlier versions, oldest first, each below `version`. */
    earlier: Type.Array(ThresholdsEntrySchema, { maxItems: MAX_EARLIER_THRESHOLDS }),
  },
  { $id: 'RiskThresholdsRecord', additionalProperties: false },
);
export type RiskThresholdsRecord = Static<typeof RiskThresholdsRecordSchema>;

export const THRESHOLDS_KEY = 'global';

const recordSchemaValidator = compileValidator(RiskThresholdsRecordSchema);

function recordProblems(r: RiskThresholdsRecord): FieldError[] {
  const problems = thresholdsProblems(r.thresholds, 'thresholds.');
  r.earlier.forEach((e, i) => {
    problems.push(...thresholdsProblems(e.thresholds, `earlier.${i}.thresholds.`));
    const floor = i === 0 ? 0 : r.earlier[i - 1].version;
    if (!(e.version > floor && e.version < r.version)) {
      problems.push({ field: `earlier.${i}.version`, reason: `must be below version (${r.version})${i === 0 ? '' : ` and above earlier.${i - 1}.version (${floor})`}, got ${e.version}` });
    }
  });
  return problems;
}

/** The record's schema and every rule across its fields. */
export const riskThresholdsRecordValidator: Validator<typeof RiskThresholdsRecordSchema> = {
  schema: RiskThresholdsRecordSchema,
  check(input: unknown): Validation<RiskThresholdsRecord> {
    const v = recordSchemaValidator.check(input);
    if (!v.ok) return v;
    const problems = recordProblems(v.value);
    return problems.length === 0 ? v : { ok: false, errors: problems };
  },
};

/**
 * The version in force for the minute ending at `windowEndMs`: the highest version effective at or
 * before it (a later version effective earlier overrides a pending one); undefined before any.
 */
export function entryInForce<E extends Pick<ThresholdsEntry, 'version' | 'effectiveFromMs'>>(entries: Iterable<E>, windowEndMs: number): E | undefined {
  let best: E | undefined;
  for (const e of entries) if (e.effectiveFromMs <= windowEndMs && (best === undefined || e.version > best.version)) best = e;
  return best;
}

/**
 * The entries in force for some minute ending at or after `fromMs` (by entryInForce), oldest
 * version first: an entry is dropped when a higher version is effective by the later of its own
 * start and `fromMs`.
 */
export function entriesApplicableFrom<E extends Pick<ThresholdsEntry, 'version' | 'effectiveFromMs'>>(entries: readonly E[], fromMs: number): E[] {
  const byVersion = [...entries].sort((a, b) => a.version - b.version);
  const out: E[] = [];
  let earliestAbove = Number.POSITIVE_INFINITY;
  for (let i = byVersion.length - 1; i >= 0; i--) {
    const e = byVersion[i];
    if (earliestAbove > Math.max(e.effectiveFromMs, fromMs)) out.push(e);
    earliestAbove = Math.min(earliestAbove, e.effectiveFromMs);
  }
  return out.reverse();
}

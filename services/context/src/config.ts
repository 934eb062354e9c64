import { Type, type Static } from '@sinclair/typebox';
import { compileValidator, formatFieldErrors } from '@saferoads/shared/contracts';
import { ConfigError } from '@saferoads/shared/errors';

/** Every tunable of the context features; docs/context-features.md explains each with its default. */
export const ContextConfigSchema = Type.Object(
  {
    // Road shape
    /** Surface quality (0..1) of a segment whose file gives none. */
    defaultSurfaceQuality: Type.Number({ minimum: 0, maximum: 1 }),
    /** Each arm of a vertex triple used for the radius is at least this long (skips jitter of dense vertices). */
    curvatureMinArmM: Type.Number({ minimum: 0, maximum: 1_000 }),
    /** Radii above this (and straight segments) report this value. */
    maxRadiusM: Type.Number({ minimum: 100, maximum: 1_000_000 }),
    /** Ramps farther than this along the carriageway report this value. */
    rampSearchM: Type.Number({ minimum: 0, maximum: 1_000_000 }),

    // Calendar and sun
    /** Sun altitude at and above which it is day (the sunrise/sunset altitude suncalc uses). */
    daylightAltitudeDeg: Type.Number({ minimum: -18, maximum: 10 }),
    /** Sun altitude below which it is dark (-6: end of civil twilight). */
    darkAltitudeDeg: Type.Number({ minimum: -18, maximum: 10 }),
    /** Glare needs the sun above the horizon and at most this high. */
    glareMaxAltitudeDeg: Type.Number({ exclusiveMinimum: 0, maximum: 90 }),
    /** Glare needs the sun within this angle (horizontal) of the direction of travel. */
    glareMaxAngleDeg: Type.Number({ exclusiveMinimum: 0, maximum: 180 }),
    /** ISO days of the week that are the weekend (1 Monday .. 7 Sunday). */
    weekendDays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { maxItems: 7, uniqueItems: true }),

    // Weather
    /** Inverse-distance weighting exponent: weight = 1 / distance^power. */
    idwPower: Type.Number({ minimum: 0, maximum: 10 }),
    /** Stations farther than this from a segment's midpoint are not used for it. */
    radiusM: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
    /** At most this many (nearest, fresh) stations are used per segment. */
    maxStations: Type.Integer({ minimum: 1, maximum: 64 }),
    /** Readings older than this at the scored minute are stale: flagged, counted, not used. */
    maxAgeMs: Type.Integer({ minimum: 60_000, maximum: 7 * 24 * 3_600_000 }),
    /** Stations this close to the point are "on it": they alone give the result, plainly averaged. */
    coincidentM: Type.Number({ minimum: 0, maximum: 100 }),
    /** Air temperature falls by this much per km of height (standard atmosphere 6.5); 0 disables. */
    lapseRateCPerKm: Type.Number({ minimum: 0, maximum: 15 }),
    /** Freezing risk needs the road (or air) temperature at or below this, with moisture. */
    freezingThresholdC: Type.Number({ minimum: -10, maximum: 10 }),
    /** Bridges freeze first: their freezing threshold is this much higher. */
    bridgeFreezingMarginC: Type.Number({ minimum: 0, maximum: 10 }),
    /** Values used when no fresh station is in range (weatherMissing = 1). */
    missingVisibilityM: Type.Number({ minimum: 0, maximum: 100_000 }),
    missingAirTemperatureC: Type.Number({ minimum: -80, maximum: 70 }),
  },
  { additionalProperties: false },
);
export type ContextConfig = Static<typeof ContextConfigSchema>;

export const DEFAULT_CONTEXT_CONFIG: Readonly<ContextConfig> = Object.freeze({
  defaultSurfaceQuality: 0.7,
  curvatureMinArmM: 10,
  maxRadiusM: 10_000,
  rampSearchM: 10_000,
  daylightAltitudeDeg: -0.833,
  darkAltitudeDeg: -6,
  glareMaxAltitudeDeg: 15,
  glareMaxAngleDeg: 25,
  weekendDays: [6, 7],
  idwPower: 2,
  radiusM: 30_000,
  maxStations: 4,
  maxAgeMs: 3_600_000,
  coincidentM: 1,
  lapseRateCPerKm: 6.5,
  freezingThresholdC: 1,
  bridgeFreezingMarginC: 1,
  missingVisibilityM: 10_000,
  missingAirTemperatureC: 10,
});

const validator = compileValidator(ContextConfigSchema);

/** Fills defaults and validates once, at build time; throws ConfigError naming every bad field. */
export function contextConfig(overrides: Partial<ContextConfig> = {}): ContextConfig {
  const merged: Record<string, unknown> = { ...DEFAULT_CONTEXT_CONFIG, weekendDays: [...DEFAULT_CONTEXT_CONFIG.weekendDays] };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) merged[k] = v;
  const r = validator.check(merged);
  const problems = r.ok ? [] : formatFieldErrors(r.errors).split('; ');
  if (r.ok && r.value.darkAltitudeDeg > r.value.daylightAltitudeDeg) {
    problems.push(`darkAltitudeDeg: must be <= daylightAltitudeDeg (${r.value.daylightAltitudeDeg}), got ${r.value.darkAltitudeDeg}`);
  }
  if (!r.ok || problems.length > 0) throw new ConfigError('context', problems);
  return r.value;
}

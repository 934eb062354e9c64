import { Type, type Static } from '@sinclair/typebox';
import { compileValidator, formatFieldErrors } from '@saferoads/shared/contracts';
import { ConfigError } from '@saferoads/shared/errors';

export const TrafficStatsConfigSchema = Type.Object(
  {
    /** How far behind the newest event time an event may arrive and still be in order. */
    outOfOrdernessMs: Type.Integer({ minimum: 0, maximum: 600_000 }),
    /** Extra time a window stays open after the watermark passes its end. */
    graceMs: Type.Integer({ minimum: 0, maximum: 3_600_000 }),
    /** Wall-clock idleness after which a partition's watermark follows the clock; absent offline. */
    idleTimeoutMs: Type.Optional(Type.Integer({ minimum: 1_000, maximum: 3_600_000 })),
    /** Vehicles at least this long are trucks (length-based classification). */
    truckMinLengthM: Type.Number({ minimum: 2, maximum: 30 }),
    /** Effective loop length, used to derive occupancy time when a detection carries none. */
    loopLengthM: Type.Number({ minimum: 0, maximum: 10 }),
    /** Number of input partitions; segments are spread over them by `partitionOf`. */
    partitions: Type.Integer({ minimum: 1, maximum: 10_000 }),
  },
  { additionalProperties: false },
);
export type TrafficStatsConfig = Static<typeof TrafficStatsConfigSchema>;

export const DEFAULT_TRAFFIC_STATS_CONFIG: TrafficStatsConfig = {
  outOfOrdernessMs: 5_000,
  graceMs: 10_000,
  truckMinLengthM: 7.5,
  loopLengthM: 2,
  partitions: 1,
};

const validator = compileValidator(TrafficStatsConfigSchema);

/** Fills defaults and validates once, at build time; throws ConfigError naming every bad field. */
export function trafficStatsConfig(overrides: Partial<TrafficStatsConfig> = {}): TrafficStatsConfig {
  const merged: Record<string, unknown> = { ...DEFAULT_TRAFFIC_STATS_CONFIG };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) merged[k] = v;
  const r = validator.check(merged);
  if (!r.ok) throw new ConfigError('traffic-stats', formatFieldErrors(r.errors).split('; '));
  return r.value;
}

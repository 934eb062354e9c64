import { Type, type Static } from '@sinclair/typebox';
import { envConfig, type Env } from '@saferoads/shared/service';

/** The traffic-stats service's configuration from the environment (docs/operations.md); Kafka is configured by the KAFKA_* variables. */
export const TrafficStatsServiceConfigSchema = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65_535, default: 8082, description: 'TCP port of the ops endpoints (/healthz, /readyz, /metrics)' }),
  host: Type.String({ minLength: 1, default: '0.0.0.0', description: 'Address the ops endpoints bind to' }),
  networkFile: Type.Optional(Type.String({ minLength: 1, description: 'Road network GeoJSON; the bundled demo network when unset' })),
  groupId: Type.String({ env: 'STATS_GROUP_ID', minLength: 1, default: 'traffic-stats', description: 'Kafka consumer group of the instances' }),
  outOfOrdernessMs: Type.Integer({ env: 'STATS_OUT_OF_ORDERNESS_MS', minimum: 0, maximum: 600_000, default: 5_000, description: 'Watermark lag behind the newest event time' }),
  graceMs: Type.Integer({ env: 'STATS_GRACE_MS', minimum: 0, maximum: 3_600_000, default: 10_000, description: 'How long a window stays open after the watermark passes its end' }),
  idleTimeoutMs: Type.Integer({ env: 'STATS_IDLE_TIMEOUT_MS', minimum: 1_000, maximum: 3_600_000, default: 30_000, description: 'Wall-clock idleness after which a partition watermark follows the clock' }),
  truckMinLengthM: Type.Number({ env: 'STATS_TRUCK_MIN_LENGTH_M', minimum: 2, maximum: 30, default: 7.5, description: 'Vehicles at least this long count as trucks' }),
  commitIntervalMs: Type.Integer({
    env: 'STATS_COMMIT_INTERVAL_MS',
    minimum: 100,
    maximum: 600_000,
    default: 5_000,
    description: 'Longest a late or dead-letter record waits for its transaction; closed windows commit at once',
  }),
  lagIntervalMs: Type.Integer({ env: 'STATS_LAG_INTERVAL_MS', minimum: 1_000, maximum: 600_000, default: 10_000, description: 'How often consumer lag is measured for /metrics' }),
  shutdownTimeoutMs: Type.Integer({ env: 'SHUTDOWN_TIMEOUT_MS', minimum: 1_000, maximum: 600_000, default: 25_000, description: 'Longest a graceful shutdown may take' }),
});
export type TrafficStatsServiceConfig = Static<typeof TrafficStatsServiceConfigSchema>;

export function trafficStatsServiceConfig(env: Env = process.env): TrafficStatsServiceConfig {
  return envConfig(TrafficStatsServiceConfigSchema, env, 'traffic-stats');
}

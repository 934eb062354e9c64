import { Type, type Static } from '@sinclair/typebox';
import { gatewayConfigProperties } from '@saferoads/shared/ingest';
import { envConfig, type Env } from '@saferoads/shared/service';

const gateway = gatewayConfigProperties(8081);

/**
 * The gateway's configuration, read from the environment (docs/loop-ingest.md lists it). The
 * Kafka connection is configured apart, by the KAFKA_* variables of the bus.
 */
export const LoopIngestConfigSchema = Type.Object({
  ...gateway.server,
  networkFile: Type.Optional(Type.String({ minLength: 1, description: 'Road network GeoJSON; the bundled demo network when unset' })),
  ...gateway.limits,
  detectionsPerRecord: Type.Integer({
    env: 'LOOP_INGEST_DETECTIONS_PER_RECORD',
    minimum: 1,
    maximum: 2_000,
    default: 1,
    description: 'Most detections of one segment packed into one loop.detections record (NDJSON lines); 1 is one vehicle per record',
  }),
  recordSpanMs: Type.Integer({
    env: 'LOOP_INGEST_RECORD_SPAN_MS',
    minimum: 0,
    maximum: 60_000,
    default: 5_000,
    description: "Most event time between a packed record's first and last detection; keep it, plus the feed's own disorder, under traffic-stats' out-of-orderness plus grace",
  }),
});

export type LoopIngestConfig = Static<typeof LoopIngestConfigSchema>;

/** Reads and validates the configuration once; throws a ConfigError naming every bad variable. */
export function loopIngestConfig(env: Env = process.env): LoopIngestConfig {
  return envConfig(LoopIngestConfigSchema, env, 'loop-ingest');
}

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
});

export type LoopIngestConfig = Static<typeof LoopIngestConfigSchema>;

/** Reads and validates the configuration once; throws a ConfigError naming every bad variable. */
export function loopIngestConfig(env: Env = process.env): LoopIngestConfig {
  return envConfig(LoopIngestConfigSchema, env, 'loop-ingest');
}

import { fileURLToPath } from 'node:url';
import { Type, type Static } from '@sinclair/typebox';
import { envConfig, type Env } from '@saferoads/shared/service';

/** The dashboard's build output, served at `/` when it exists. */
// From import.meta.url (not dirname): the CLI bundle rewrites the URL to this source file's.
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../../dashboards/dist', import.meta.url));

const secret = (env: string, description: string) => Type.Optional(Type.String({ env, minLength: 24, maxLength: 512, description }));

/**
 * The alert API's configuration, read from the environment (docs/alert-api.md#configuration). The
 * Kafka connection is configured apart, by the KAFKA_* variables of the bus.
 */
export const AlertApiConfigSchema = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65_535, default: 8080, description: 'TCP port of the HTTP server' }),
  host: Type.String({ minLength: 1, default: '0.0.0.0', description: 'Address the HTTP server binds to' }),
  databaseUrl: Type.Optional(Type.String({ env: 'DATABASE_URL', pattern: '^postgres(ql)?://', description: 'PostgreSQL connection string; the embedded PGlite when unset' })),
  pgliteDir: Type.Optional(Type.String({ env: 'ALERT_API_PGLITE_DIR', minLength: 1, description: 'Directory of the embedded PGlite database; in memory when unset' })),
  dbMaxConnections: Type.Integer({ env: 'ALERT_API_DB_MAX_CONNECTIONS', minimum: 1, maximum: 200, default: 10, description: 'Connections in the pool to a PostgreSQL server' }),
  networkFile: Type.Optional(Type.String({ minLength: 1, description: 'Road network GeoJSON; the bundled demo network when unset' })),
  groupId: Type.String({ env: 'ALERT_API_GROUP_ID', minLength: 1, default: 'alert-api', description: 'Kafka consumer group; give each instance its own (each reads every partition for its stream)' }),
  jwtSecret: Type.Optional(Type.String({ env: 'ALERT_API_JWT_SECRET', minLength: 32, maxLength: 1024, description: 'HS256 secret of accepted JWTs; no JWT is accepted when unset' })),
  jwtIssuer: Type.Optional(Type.String({ env: 'ALERT_API_JWT_ISSUER', minLength: 1, description: 'Required `iss` of accepted JWTs' })),
  jwtAudience: Type.Optional(Type.String({ env: 'ALERT_API_JWT_AUDIENCE', minLength: 1, description: 'Required `aud` of accepted JWTs' })),
  bootstrapAdminKey: secret('SAFEROADS_API_BOOTSTRAP_ADMIN_KEY', 'An admin API key to create at start (if absent), to create the other keys with'),
  bootstrapOperatorKey: secret('SAFEROADS_API_BOOTSTRAP_OPERATOR_KEY', 'An operator API key to create at start (if absent)'),
  bootstrapViewerKey: secret('SAFEROADS_API_BOOTSTRAP_VIEWER_KEY', 'A viewer API key to create at start (if absent)'),
  keyCacheMs: Type.Integer({ env: 'ALERT_API_KEY_CACHE_MS', minimum: 0, maximum: 600_000, default: 10_000, description: 'How long a checked API key is remembered (a revocation elsewhere takes effect within it)' }),
  corsOrigins: Type.Array(Type.String({ pattern: '^https?://[^/\\s]+$' }), { env: 'ALERT_API_CORS_ORIGINS', default: [], description: 'Origins allowed cross-origin requests (comma-separated); none by default' }),
  rateLimitMax: Type.Integer({ env: 'ALERT_API_RATE_LIMIT_MAX', minimum: 1, maximum: 10_000_000, default: 1_200, description: 'Requests per client address per window; more get 429' }),
  rateLimitWindowMs: Type.Integer({ env: 'ALERT_API_RATE_LIMIT_WINDOW_MS', minimum: 1_000, maximum: 3_600_000, default: 60_000, description: 'The rate limit window' }),
  bodyLimitBytes: Type.Integer({ env: 'ALERT_API_BODY_LIMIT_BYTES', minimum: 1_024, maximum: 1_048_576, default: 16_384, description: 'Largest request body; larger ones get 413' }),
  streamBuffer: Type.Integer({ env: 'ALERT_API_STREAM_BUFFER', minimum: 1, maximum: 1_000_000, default: 20_000, description: 'Events kept for Last-Event-ID resumes' }),
  streamMaxBufferedBytes: Type.Integer({ env: 'ALERT_API_STREAM_MAX_BUFFERED_BYTES', minimum: 65_536, maximum: 268_435_456, default: 4_194_304, description: 'A stream client with more unsent bytes is disconnected' }),
  streamHeartbeatMs: Type.Integer({ env: 'ALERT_API_STREAM_HEARTBEAT_MS', minimum: 1_000, maximum: 300_000, default: 15_000, description: 'Interval of keep-alive comments on idle streams' }),
  streamMaxClients: Type.Integer({ env: 'ALERT_API_STREAM_MAX_CLIENTS', minimum: 1, maximum: 100_000, default: 5_000, description: 'Most stream clients at once; more get 503' }),
  historyRetentionMinutes: Type.Integer({ env: 'ALERT_API_HISTORY_RETENTION_MINUTES', minimum: 1, maximum: 525_600, default: 1_440, description: 'Score and stats history kept per segment' }),
  pruneIntervalMs: Type.Integer({ env: 'ALERT_API_PRUNE_INTERVAL_MS', minimum: 1_000, maximum: 86_400_000, default: 60_000, description: 'How often old history is deleted' }),
  weatherRadiusKm: Type.Number({ env: 'ALERT_API_WEATHER_RADIUS_KM', exclusiveMinimum: 0, maximum: 500, default: 30, description: 'A segment shows the nearest station within this distance' }),
  dashboardDir: Type.String({ env: 'ALERT_API_DASHBOARD_DIR', minLength: 1, default: DEFAULT_DASHBOARD_DIR, description: 'Static files served at / (when the directory exists)' }),
  capSender: Type.String({ env: 'ALERT_API_CAP_SENDER', pattern: '^[^\\s,<&]+$', default: 'saferoads@example.invalid', description: 'CAP 1.2 sender of the exports (the authority\u2019s address)' }),
  capWebBase: Type.Optional(Type.String({ env: 'ALERT_API_CAP_WEB_BASE', pattern: '^https?://', description: 'Each CAP alert links to <base>/<alertId>' })),
  datexCountry: Type.String({ env: 'ALERT_API_DATEX_COUNTRY', pattern: '^[A-Z]{2}$', default: 'AT', description: 'DATEX II publicationCreator country' }),
  datexNationalIdentifier: Type.String({ env: 'ALERT_API_DATEX_NATIONAL_IDENTIFIER', minLength: 1, maxLength: 1024, default: 'saferoads', description: 'DATEX II publicationCreator national identifier' }),
  webhooks: Type.Optional(Type.String({ env: 'ALERT_API_WEBHOOKS', minLength: 2, description: 'Webhook routes as JSON: [{ "id", "url", "minLevel"?, "types"?, "headers"? }] (docs/alert-api.md#notifications)' })),
  webhookAlertLinkBase: Type.Optional(Type.String({ env: 'ALERT_API_WEBHOOK_ALERT_LINK_BASE', pattern: '^https?://', description: 'Notifications link to <base>/<alertId>' })),
  thresholdsHorizonHours: Type.Integer({
    env: 'ALERT_API_THRESHOLDS_HORIZON_HOURS',
    minimum: 1,
    maximum: 87_600,
    default: 168,
    description: 'A risk.thresholds record carries the earlier versions in force within this long before it was set, so a replay of that long scores as it was scored: at least the retention of traffic.stats (Kafka: 7 days)',
  }),
  thresholdsPublishRetryMs: Type.Integer({
    env: 'ALERT_API_THRESHOLDS_PUBLISH_RETRY_MS',
    minimum: 100,
    maximum: 600_000,
    default: 5_000,
    description: 'How often a thresholds version stored while the bus was away is published again',
  }),
  shutdownTimeoutMs: Type.Integer({ env: 'SHUTDOWN_TIMEOUT_MS', minimum: 1_000, maximum: 600_000, default: 25_000, description: 'Longest a graceful shutdown may take' }),
});

export type AlertApiConfig = Static<typeof AlertApiConfigSchema>;

/** Reads and validates the configuration once; throws a ConfigError naming every bad variable. */
export function alertApiConfig(env: Env = process.env): AlertApiConfig {
  return envConfig(AlertApiConfigSchema, env, 'alert-api');
}

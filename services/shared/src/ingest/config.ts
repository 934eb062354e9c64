import { Type } from '@sinclair/typebox';

/**
 * The settings every batch gateway has, as envConfig schema properties (docs/operations.md): a
 * gateway's schema spreads them, in this order, around its own. `port` is the gateway's own default.
 */
export function gatewayConfigProperties(defaultPort: number) {
  return {
    server: {
      port: Type.Integer({ minimum: 0, maximum: 65_535, default: defaultPort, description: 'TCP port of the HTTP server' }),
      host: Type.String({ minLength: 1, default: '0.0.0.0', description: 'Address the HTTP server binds to' }),
    },
    limits: {
      bodyLimitBytes: Type.Integer({
        env: 'INGEST_BODY_LIMIT_BYTES',
        minimum: 1_024,
        maximum: 100 * 1024 * 1024,
        default: 5 * 1024 * 1024,
        description: 'Largest request body accepted; larger ones get 413',
      }),
      maxRecords: Type.Integer({
        env: 'INGEST_MAX_RECORDS',
        minimum: 1,
        maximum: 1_000_000,
        default: 50_000,
        description: 'Most records in one batch; more get 413',
      }),
      maxErrorsReported: Type.Integer({
        env: 'INGEST_MAX_ERRORS_REPORTED',
        minimum: 1,
        maximum: 1_000_000,
        default: 1_000,
        description: 'Most per-record errors listed in one response; the rest are counted in errorsOmitted',
      }),
      retryAfterS: Type.Integer({
        env: 'INGEST_RETRY_AFTER_S',
        minimum: 1,
        maximum: 3_600,
        default: 5,
        description: 'Retry-After of a 503 when the bus did not take a batch',
      }),
      shutdownTimeoutMs: Type.Integer({
        env: 'SHUTDOWN_TIMEOUT_MS',
        minimum: 1_000,
        maximum: 600_000,
        default: 25_000,
        description: 'Longest a graceful shutdown may take before the process exits anyway',
      }),
    },
  };
}

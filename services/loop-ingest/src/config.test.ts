import { ConfigError } from '@saferoads/shared/errors';
import { envVariables } from '@saferoads/shared/service';
import { describe, expect, it } from 'vitest';
import { loopIngestConfig, LoopIngestConfigSchema } from './config.js';

describe('loop-ingest configuration', () => {
  it('has the documented defaults', () => {
    expect(loopIngestConfig({})).toEqual({
      port: 8081,
      host: '0.0.0.0',
      bodyLimitBytes: 5_242_880,
      maxRecords: 50_000,
      maxErrorsReported: 1_000,
      retryAfterS: 5,
      shutdownTimeoutMs: 25_000,
      detectionsPerRecord: 1,
      recordSpanMs: 5_000,
    });
  });

  it('reads each setting from its environment variable', () => {
    expect(envVariables(LoopIngestConfigSchema).map((v) => v.name)).toEqual([
      'PORT',
      'HOST',
      'NETWORK_FILE',
      'INGEST_BODY_LIMIT_BYTES',
      'INGEST_MAX_RECORDS',
      'INGEST_MAX_ERRORS_REPORTED',
      'INGEST_RETRY_AFTER_S',
      'SHUTDOWN_TIMEOUT_MS',
      'LOOP_INGEST_DETECTIONS_PER_RECORD',
      'LOOP_INGEST_RECORD_SPAN_MS',
    ]);
    expect(loopIngestConfig({ PORT: '9000', NETWORK_FILE: '/data/net.geojson', INGEST_MAX_RECORDS: '10', LOOP_INGEST_DETECTIONS_PER_RECORD: '200', LOOP_INGEST_RECORD_SPAN_MS: '500' })).toMatchObject({
      port: 9000,
      networkFile: '/data/net.geojson',
      maxRecords: 10,
      detectionsPerRecord: 200,
      recordSpanMs: 500,
    });
  });

  it('refuses bad values naming every variable at fault', () => {
    let error: unknown;
    try {
      loopIngestConfig({ PORT: 'http', INGEST_BODY_LIMIT_BYTES: '10', INGEST_MAX_RECORDS: '0', LOOP_INGEST_DETECTIONS_PER_RECORD: '5000' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'PORT: must be a number, got "http"',
      'INGEST_BODY_LIMIT_BYTES: must be >= 1024, got 10',
      'INGEST_MAX_RECORDS: must be >= 1, got 0',
      'LOOP_INGEST_DETECTIONS_PER_RECORD: must be <= 2000, got 5000',
    ]);
  });
});

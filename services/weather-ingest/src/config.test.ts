import { ConfigError } from '@saferoads/shared/errors';
import { envVariables } from '@saferoads/shared/service';
import { describe, expect, it } from 'vitest';
import { pollPoints, weatherIngestConfig, WeatherIngestConfigSchema } from './config.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    weatherIngestConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('weather-ingest configuration', () => {
  it('has the documented defaults, with the poller off', () => {
    expect(weatherIngestConfig({})).toEqual({
      port: 8083,
      host: '0.0.0.0',
      maxFutureS: 300,
      pollEnabled: false,
      openMeteoUrl: 'https://api.open-meteo.com/v1/forecast',
      pollIntervalS: 600,
      pollTimeoutMs: 10_000,
      pollAttempts: 4,
      pollBackoffMs: 2_000,
      pollBackoffMaxMs: 60_000,
      pollPoints: [],
      pollGridKm: 5,
      pollMaxLocations: 50,
      bodyLimitBytes: 5_242_880,
      maxRecords: 50_000,
      maxErrorsReported: 1_000,
      retryAfterS: 5,
      shutdownTimeoutMs: 25_000,
    });
  });

  it('reads each setting from its environment variable', () => {
    expect(envVariables(WeatherIngestConfigSchema).map((v) => v.name)).toEqual([
      'PORT',
      'HOST',
      'NETWORK_FILE',
      'WEATHER_MAX_FUTURE_S',
      'WEATHER_POLL_ENABLED',
      'OPEN_METEO_URL',
      'WEATHER_POLL_INTERVAL_S',
      'WEATHER_POLL_TIMEOUT_MS',
      'WEATHER_POLL_ATTEMPTS',
      'WEATHER_POLL_BACKOFF_MS',
      'WEATHER_POLL_BACKOFF_MAX_MS',
      'WEATHER_POLL_POINTS',
      'WEATHER_POLL_GRID_KM',
      'WEATHER_POLL_MAX_LOCATIONS',
      'INGEST_BODY_LIMIT_BYTES',
      'INGEST_MAX_RECORDS',
      'INGEST_MAX_ERRORS_REPORTED',
      'INGEST_RETRY_AFTER_S',
      'SHUTDOWN_TIMEOUT_MS',
    ]);
    const c = weatherIngestConfig({ WEATHER_POLL_ENABLED: 'yes', WEATHER_POLL_POINTS: '47.2692 11.4041, 47.0 11.5', OPEN_METEO_URL: 'http://meteo.internal:8080/v1/forecast' });
    expect(c).toMatchObject({ pollEnabled: true, openMeteoUrl: 'http://meteo.internal:8080/v1/forecast' });
    expect(pollPoints(c)).toEqual([
      { lat: 47.2692, lon: 11.4041 },
      { lat: 47, lon: 11.5 },
    ]);
  });

  it.each([
    [{ PORT: 'http' }, ['PORT: must be a number, got "http"']],
    [
      { WEATHER_POLL_POINTS: '47.2,11.4' },
      [
        'WEATHER_POLL_POINTS[0]: "47.2" is not "lat lon" (decimal degrees, a space between; points are separated by commas)',
        'WEATHER_POLL_POINTS[1]: "11.4" is not "lat lon" (decimal degrees, a space between; points are separated by commas)',
      ],
    ],
    [{ WEATHER_POLL_POINTS: '95 11.4' }, ['WEATHER_POLL_POINTS[0]: "95 11.4" is not a latitude (-90..90) and longitude (-180..180)']],
    [{ WEATHER_POLL_BACKOFF_MS: '5000', WEATHER_POLL_BACKOFF_MAX_MS: '1000' }, ['WEATHER_POLL_BACKOFF_MAX_MS: must be >= WEATHER_POLL_BACKOFF_MS (5000), got 1000']],
    [{ WEATHER_POLL_INTERVAL_S: '60', WEATHER_POLL_TIMEOUT_MS: '60000' }, ['WEATHER_POLL_TIMEOUT_MS: must be below WEATHER_POLL_INTERVAL_S (60 s), got 60000']],
    [{ WEATHER_POLL_INTERVAL_S: '10', OPEN_METEO_URL: 'ftp://x' }, ['OPEN_METEO_URL: must match pattern "^https?://"', 'WEATHER_POLL_INTERVAL_S: must be >= 60, got 10']],
  ])('refuses %j naming every variable at fault', (env, problems) => {
    expect(problemsOf(env)).toEqual(problems);
  });
});

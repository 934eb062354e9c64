import { Type, type Static } from '@sinclair/typebox';
import { ConfigError } from '@saferoads/shared/errors';
import { gatewayConfigProperties } from '@saferoads/shared/ingest';
import { envConfig, type Env } from '@saferoads/shared/service';

const gateway = gatewayConfigProperties(8083);
const POINT = /^(-?\d+(?:\.\d+)?) +(-?\d+(?:\.\d+)?)$/;

/**
 * The weather gateway's configuration, read from the environment (docs/weather.md lists it). The
 * Kafka connection is configured apart, by the KAFKA_* variables of the bus.
 */
export const WeatherIngestConfigSchema = Type.Object({
  ...gateway.server,
  networkFile: Type.Optional(Type.String({ minLength: 1, description: 'Road network GeoJSON (the poller derives its grid from it); the bundled demo network when unset' })),
  maxFutureS: Type.Integer({
    env: 'WEATHER_MAX_FUTURE_S',
    minimum: 0,
    maximum: 86_400,
    default: 300,
    description: 'How far ahead of the gateway clock a reading may be; later ones are refused (a wrong station clock would pin the table)',
  }),
  pollEnabled: Type.Boolean({ env: 'WEATHER_POLL_ENABLED', default: false, description: 'Poll Open-Meteo for current conditions too' }),
  openMeteoUrl: Type.String({
    env: 'OPEN_METEO_URL',
    pattern: '^https?://',
    default: 'https://api.open-meteo.com/v1/forecast',
    description: 'The forecast endpoint of Open-Meteo (or a self-hosted copy)',
  }),
  pollIntervalS: Type.Integer({ env: 'WEATHER_POLL_INTERVAL_S', minimum: 60, maximum: 86_400, default: 600, description: 'Seconds between polls' }),
  pollTimeoutMs: Type.Integer({ env: 'WEATHER_POLL_TIMEOUT_MS', minimum: 100, maximum: 120_000, default: 10_000, description: 'Longest wait for one response' }),
  pollAttempts: Type.Integer({ env: 'WEATHER_POLL_ATTEMPTS', minimum: 1, maximum: 20, default: 4, description: 'Attempts per request and poll, the first included' }),
  pollBackoffMs: Type.Integer({ env: 'WEATHER_POLL_BACKOFF_MS', minimum: 10, maximum: 600_000, default: 2_000, description: 'First retry delay (full jitter, doubling)' }),
  pollBackoffMaxMs: Type.Integer({ env: 'WEATHER_POLL_BACKOFF_MAX_MS', minimum: 10, maximum: 3_600_000, default: 60_000, description: 'Longest retry delay' }),
  pollPoints: Type.Array(Type.String({ minLength: 1 }), {
    env: 'WEATHER_POLL_POINTS',
    default: [],
    description: 'Points to poll, "lat lon" each, comma-separated; empty: a grid over the road network',
  }),
  pollGridKm: Type.Number({ env: 'WEATHER_POLL_GRID_KM', minimum: 1, maximum: 200, default: 5, description: 'Spacing of the grid derived from the network' }),
  pollMaxLocations: Type.Integer({ env: 'WEATHER_POLL_MAX_LOCATIONS', minimum: 1, maximum: 1_000, default: 50, description: 'Most locations in one request' }),
  ...gateway.limits,
});

export type WeatherIngestConfig = Static<typeof WeatherIngestConfigSchema>;

export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

/** WEATHER_POLL_POINTS as coordinates; throws a ConfigError naming each point out of range. */
export function pollPoints(config: Pick<WeatherIngestConfig, 'pollPoints'>): LatLon[] {
  const problems: string[] = [];
  const points = config.pollPoints.map((text, i) => {
    const m = POINT.exec(text.trim());
    const [lat, lon] = m ? [Number(m[1]), Number(m[2])] : [Number.NaN, Number.NaN];
    if (!m) problems.push(`WEATHER_POLL_POINTS[${i}]: "${text}" is not "lat lon" (decimal degrees, a space between; points are separated by commas)`);
    else if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) problems.push(`WEATHER_POLL_POINTS[${i}]: "${text}" is not a latitude (-90..90) and longitude (-180..180)`);
    return { lat, lon };
  });
  if (problems.length > 0) throw new ConfigError('weather-ingest', problems);
  return points;
}

/** Reads and validates the configuration once; throws a ConfigError naming every bad variable. */
export function weatherIngestConfig(env: Env = process.env): WeatherIngestConfig {
  const config = envConfig(WeatherIngestConfigSchema, env, 'weather-ingest');
  const problems: string[] = [];
  if (config.pollBackoffMaxMs < config.pollBackoffMs) problems.push(`WEATHER_POLL_BACKOFF_MAX_MS: must be >= WEATHER_POLL_BACKOFF_MS (${config.pollBackoffMs}), got ${config.pollBackoffMaxMs}`);
  if (config.pollTimeoutMs >= config.pollIntervalS * 1000) problems.push(`WEATHER_POLL_TIMEOUT_MS: must be below WEATHER_POLL_INTERVAL_S (${config.pollIntervalS} s), got ${config.pollTimeoutMs}`);
  try {
    pollPoints(config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  if (problems.length > 0) throw new ConfigError('weather-ingest', problems);
  return config;
}

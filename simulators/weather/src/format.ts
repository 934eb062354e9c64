import { WeatherObservationSchema, type WeatherObservation } from '@saferoads/shared/contracts';
import type { RecordFormat } from '@saferoads/loop-sensor/targets';
import type { WeatherBatch } from './types.js';

const FIELDS = Object.keys(WeatherObservationSchema.properties) as (keyof WeatherObservation)[];

/** One observation as an NDJSON line, fields in contract order (as the gateway writes them). */
export function observationLine(o: WeatherObservation): string {
  const out: Record<string, unknown> = {};
  for (const k of FIELDS) if (o[k] !== undefined) out[k] = o[k];
  return JSON.stringify(out);
}

/** How readings travel to a target: keyed by station, as the weather gateway keys weather.observations. */
export const WEATHER_FORMAT: RecordFormat<WeatherBatch, WeatherObservation> = {
  records: (b) => b.observations,
  line: observationLine,
  key: (o) => o.stationId,
  timestamp: (o) => o.ts,
};

/** The weather gateway's batch route (services/weather-ingest). */
export const WEATHER_ROUTE = { endpoint: '/v1/weather/observations', port: 8083 } as const;

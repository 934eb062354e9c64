import { destination } from '@turf/turf';
import type { WeatherObservation } from '@saferoads/shared/contracts';

export const T0 = Date.UTC(2026, 0, 15, 6, 0);

/** A calm, dry reading at (lon 11.4, lat 47.2) at T0; override what the test is about. */
export function obs(stationId: string, over: Partial<WeatherObservation> = {}): WeatherObservation {
  return {
    stationId,
    lat: 47.2,
    lon: 11.4,
    ts: T0,
    precipitationMmH: 0,
    precipitationType: 'none',
    visibilityM: 20_000,
    windSpeedMs: 2,
    airTemperatureC: 5,
    ...over,
  };
}

/** Position `distanceM` from (11.4, 47.2) on compass bearing `bearingDeg`. */
export function at(distanceM: number, bearingDeg = 0): { lon: number; lat: number } {
  const [lon, lat] = destination([11.4, 47.2], distanceM, bearingDeg, { units: 'meters' }).geometry.coordinates;
  return { lon, lat };
}

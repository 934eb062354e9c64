import type { FieldError } from '@saferoads/shared/contracts';
import type { LatLon } from '../config.js';
import { converter, type Quantity } from './units.js';
import { precipitationType } from './wmo.js';

/** The current-conditions variables the poller asks for. */
export const CURRENT_VARIABLES = ['temperature_2m', 'precipitation', 'rain', 'showers', 'snowfall', 'weather_code', 'visibility', 'wind_speed_10m', 'wind_gusts_10m'] as const;

/** A polled point's station id: stable for the point, so its readings share a key and a partition. */
export function stationIdOf(p: LatLon): string {
  return `open-meteo:${p.lat.toFixed(4)},${p.lon.toFixed(4)}`;
}

/**
 * The request for some points: `base` (OPEN_METEO_URL, whose own query parameters, e.g. an API
 * key of the commercial endpoint, are kept) with the points as comma-separated lists, the current
 * variables, and times as unix seconds.
 */
export function requestUrl(base: string, points: readonly LatLon[]): string {
  const url = new URL(base);
  url.searchParams.set('latitude', points.map((p) => p.lat.toFixed(4)).join(','));
  url.searchParams.set('longitude', points.map((p) => p.lon.toFixed(4)).join(','));
  url.searchParams.set('current', CURRENT_VARIABLES.join(','));
  url.searchParams.set('timeformat', 'unixtime');
  return url.href;
}

/** A response that is not the documented shape: the poll of these points failed as a whole. */
export class UnexpectedResponse extends Error {
  override readonly name = 'UnexpectedResponse';
}

/** One location of a response, mapped: a candidate observation (checked like a posted one), or why it cannot be. */
export type LocationResult =
  | { readonly ok: true; readonly observation: Record<string, unknown>; readonly raw: string }
  | { readonly ok: false; readonly errors: FieldError[]; readonly raw: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The locations of a response body, in request order: Open-Meteo answers one location with an
 * object and several with an array of them. Throws UnexpectedResponse for anything else.
 */
export function responseLocations(body: unknown, expected: number): Record<string, unknown>[] {
  const list = Array.isArray(body) ? body : [body];
  if (isRecord(body) && body.error === true) throw new UnexpectedResponse(`Open-Meteo refused the request: ${String(body.reason)}`);
  if (list.length !== expected) throw new UnexpectedResponse(`expected ${expected} locations, got ${list.length}`);
  return list.map((loc, i) => {
    if (!isRecord(loc)) throw new UnexpectedResponse(`location ${i} is not an object`);
    return loc;
  });
}

/** Reads the current values of one location, collecting a field error for each value it cannot use. */
class CurrentReader {
  readonly errors: FieldError[] = [];
  private readonly present: boolean;
  private readonly current: Record<string, unknown>;
  private readonly units: Record<string, unknown>;

  constructor(private readonly loc: Record<string, unknown>) {
    this.present = isRecord(loc.current);
    this.current = isRecord(loc.current) ? loc.current : {};
    this.units = isRecord(loc.current_units) ? loc.current_units : {};
    // One error for a missing block, rather than one per variable.
    if (!this.present) this.errors.push({ field: 'current', reason: 'is missing' });
  }

  number(name: string): number | undefined {
    const v = this.current[name];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    this.fault(name, v, 'a number');
    return undefined;
  }

  /** A value converted from the unit the response declares for it. */
  measured(name: string, quantity: Quantity): number | undefined {
    const v = this.number(name);
    if (v === undefined) return undefined;
    const unit = this.units[name];
    const convert = converter(quantity, typeof unit === 'string' ? unit : undefined);
    if (!convert) {
      this.errors.push({ field: `current_units.${name}`, reason: `unit ${JSON.stringify(unit)} is not known` });
      return undefined;
    }
    return convert(v);
  }

  /** Event time in ms: unix seconds (timeformat=unixtime), or local ISO time with the response's UTC offset. */
  time(): number | undefined {
    const t = this.current.time;
    if (typeof t === 'number' && Number.isFinite(t)) return t * 1000;
    if (typeof t === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(t)) {
      const offset = typeof this.loc.utc_offset_seconds === 'number' ? this.loc.utc_offset_seconds : 0;
      return Date.parse(`${t}:00Z`) - offset * 1000;
    }
    this.fault('time', t, 'unix seconds or a local ISO time');
    return undefined;
  }

  private fault(name: string, v: unknown, want: string): void {
    if (!this.present) return;
    this.errors.push({ field: `current.${name}`, reason: v === undefined || v === null ? 'is missing' : `must be ${want}, got ${JSON.stringify(v)}` });
  }
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Maps one location's current conditions to a WeatherObservation candidate, at the polled point
 * (Open-Meteo downscales to the point's own elevation, which it returns). Precipitation sums over
 * the `interval` (900 s) become a rate in mm/h; wind and gusts are converted to m/s from the
 * declared unit; visibility above the contract's 100 km is reported as 100 km.
 */
export function mapLocation(loc: Record<string, unknown>, point: LatLon): LocationResult {
  const raw = JSON.stringify(loc);
  const r = new CurrentReader(loc);
  const ts = r.time();
  const interval = r.number('interval');
  const precipitationMm = r.measured('precipitation', 'precipitation');
  const liquidMm = (r.measured('rain', 'precipitation') ?? 0) + (r.measured('showers', 'precipitation') ?? 0);
  const snowCm = r.number('snowfall');
  const code = r.number('weather_code');
  const visibilityM = r.measured('visibility', 'distance');
  const windSpeedMs = r.measured('wind_speed_10m', 'wind');
  const windGustMs = r.measured('wind_gusts_10m', 'wind');
  const airTemperatureC = r.measured('temperature_2m', 'temperature');
  if (interval !== undefined && !(interval > 0)) r.errors.push({ field: 'current.interval', reason: `must be > 0 seconds, got ${interval}` });
  if (r.errors.length > 0 || ts === undefined || interval === undefined || precipitationMm === undefined || code === undefined || snowCm === undefined) {
    return { ok: false, errors: r.errors, raw };
  }
  const elevation = typeof loc.elevation === 'number' && Number.isFinite(loc.elevation) ? loc.elevation : undefined;
  return {
    ok: true,
    raw,
    observation: {
      stationId: stationIdOf(point),
      lat: point.lat,
      lon: point.lon,
      ...(elevation !== undefined && { elevationM: elevation }),
      ts,
      precipitationMmH: round((precipitationMm * 3600) / interval, 2),
      precipitationType: precipitationType(code, { liquidMm, snowCm }),
      visibilityM: Math.min(100_000, round(visibilityM!, 0)),
      windSpeedMs: round(windSpeedMs!, 2),
      ...(windGustMs !== undefined && { windGustMs: round(Math.max(windGustMs, windSpeedMs!), 2) }),
      airTemperatureC: round(airTemperatureC!, 2),
    },
  };
}

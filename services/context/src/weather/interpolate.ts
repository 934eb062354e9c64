import { distance } from '@turf/turf';
import type { PRECIPITATION_TYPES, ROAD_SURFACE_STATES } from '@saferoads/shared/contracts';
import type { ContextConfig } from '../config.js';
import type { WeatherTable } from './table.js';

export type PrecipitationType = (typeof PRECIPITATION_TYPES)[number];
export type RoadSurfaceState = (typeof ROAD_SURFACE_STATES)[number];

/** The weather at one point (a segment's midpoint) at one minute, interpolated from the table. */
export interface PointWeather {
  /** Fresh stations used (0 when none is in range: every value below is then a default). */
  stations: number;
  /** Stations within the radius whose latest reading is older than maxAgeMs at that minute. */
  staleStations: number;
  /** Distance to the nearest station used, m (NaN when none). */
  nearestM: number;
  /** Weighted mean age of the readings used, minutes (NaN when none; readings from after the minute count as 0). */
  ageMin: number;
  precipitationMmH: number;
  /** Weighted majority; a tie goes to the more hazardous type (snow > sleet > hail > rain > none). */
  precipitationType: PrecipitationType;
  visibilityM: number;
  windSpeedMs: number;
  /** Interpolated over the stations that report gusts; the wind speed when none does. */
  windGustMs: number;
  /** Adjusted to the point's elevation by the lapse rate when both elevations are known. */
  airTemperatureC: number;
  /** Interpolated over the stations that report it; NaN when none does. */
  roadSurfaceTemperatureC: number;
  /** Weighted majority of the stations that report it (ties to the worse: snow > ice > wet > moist > dry); undefined when none does. */
  roadSurfaceState: RoadSurfaceState | undefined;
}

export function emptyPointWeather(): PointWeather {
  return {
    stations: 0,
    staleStations: 0,
    nearestM: NaN,
    ageMin: NaN,
    precipitationMmH: 0,
    precipitationType: 'none',
    visibilityM: NaN,
    windSpeedMs: 0,
    windGustMs: 0,
    airTemperatureC: NaN,
    roadSurfaceTemperatureC: NaN,
    roadSurfaceState: undefined,
  };
}

export type InterpolationConfig = Pick<
  ContextConfig,
  'idwPower' | 'radiusM' | 'maxStations' | 'maxAgeMs' | 'coincidentM' | 'lapseRateCPerKm' | 'missingVisibilityM' | 'missingAirTemperatureC'
>;

// Rank used to break ties in a weighted majority: higher is more hazardous and wins.
const PRECIP_RANK: Record<PrecipitationType, number> = { none: 0, rain: 1, hail: 2, sleet: 3, snow: 4 };
const PRECIP_BY_RANK: readonly PrecipitationType[] = ['none', 'rain', 'hail', 'sleet', 'snow'];
const STATE_RANK: Record<RoadSurfaceState, number> = { dry: 0, moist: 1, wet: 2, ice: 3, snow: 4 };
const STATE_BY_RANK: readonly RoadSurfaceState[] = ['dry', 'moist', 'wet', 'ice', 'snow'];

// Scratch space for one interpolation at a time (this is single-threaded code): no allocation per call.
const MAX_STATIONS = 64;
const selIdx = new Int32Array(MAX_STATIONS);
const selWeight = new Float64Array(MAX_STATIONS);
const precipVotes = new Float64Array(PRECIP_BY_RANK.length);
const stateVotes = new Float64Array(STATE_BY_RANK.length);

/**
 * Inverse-distance weighting over a point's candidate stations.
 *
 * `slots[0..count)` are table slots within the radius, sorted by `distancesM` ascending. Walking
 * them nearest first: a reading older than `maxAgeMs` at `atMs` is stale (counted in
 * `staleStations`, never used); the first `maxStations` fresh ones are used. Weights are
 * 1 / d^idwPower; when the nearest used station is within `coincidentM` of the point ("on it",
 * where 1/d^p would blow up), only the stations that close are used, with equal weights.
 * With no fresh station the result has `stations` 0 and the configured defaults.
 */
export function interpolateWeather(
  table: WeatherTable,
  slots: ArrayLike<number>,
  distancesM: ArrayLike<number>,
  count: number,
  atMs: number,
  pointElevationM: number,
  cfg: InterpolationConfig,
  out: PointWeather,
): PointWeather {
  let used = 0;
  let stale = 0;
  const maxUse = Math.min(cfg.maxStations, MAX_STATIONS);
  for (let i = 0; i < count; i++) {
    const slot = slots[i];
    if (atMs - table.at(slot).ts > cfg.maxAgeMs) stale++;
    else if (used < maxUse) selIdx[used++] = i;
  }
  out.staleStations = stale;
  if (used === 0) return fillMissing(out, cfg);

  const coincident = distancesM[selIdx[0]] <= cfg.coincidentM;
  let n = 0;
  for (let k = 0; k < used; k++) {
    const d = distancesM[selIdx[k]];
    if (coincident) {
      if (d > cfg.coincidentM) break; // sorted: the rest are farther
      selWeight[k] = 1;
    } else {
      selWeight[k] = cfg.idwPower === 0 ? 1 : 1 / Math.pow(d, cfg.idwPower);
    }
    n++;
  }

  let wSum = 0;
  let age = 0;
  let precip = 0;
  let vis = 0;
  let wind = 0;
  let gust = 0;
  let gustW = 0;
  let air = 0;
  let surf = 0;
  let surfW = 0;
  let stateW = 0;
  precipVotes.fill(0);
  stateVotes.fill(0);
  const lapsePerM = cfg.lapseRateCPerKm / 1000;
  for (let k = 0; k < n; k++) {
    const w = selWeight[k];
    const obs = table.at(slots[selIdx[k]]);
    wSum += w;
    const a = atMs - obs.ts;
    age += w * (a > 0 ? a : 0);
    precip += w * obs.precipitationMmH;
    vis += w * obs.visibilityM;
    wind += w * obs.windSpeedMs;
    if (obs.windGustMs !== undefined) {
      gust += w * obs.windGustMs;
      gustW += w;
    }
    const lift = obs.elevationM !== undefined && !Number.isNaN(pointElevationM) ? pointElevationM - obs.elevationM : 0;
    air += w * (obs.airTemperatureC - lapsePerM * lift);
    if (obs.roadSurfaceTemperatureC !== undefined) {
      surf += w * obs.roadSurfaceTemperatureC;
      surfW += w;
    }
    precipVotes[PRECIP_RANK[obs.precipitationType]] += w;
    if (obs.roadSurfaceState !== undefined) {
      stateVotes[STATE_RANK[obs.roadSurfaceState]] += w;
      stateW += w;
    }
  }
  out.stations = n;
  out.nearestM = distancesM[selIdx[0]];
  out.ageMin = age / wSum / 60_000;
  out.precipitationMmH = precip / wSum;
  out.precipitationType = PRECIP_BY_RANK[argmaxLast(precipVotes)];
  out.visibilityM = vis / wSum;
  out.windSpeedMs = wind / wSum;
  out.windGustMs = gustW > 0 ? gust / gustW : out.windSpeedMs;
  out.airTemperatureC = air / wSum;
  out.roadSurfaceTemperatureC = surfW > 0 ? surf / surfW : NaN;
  out.roadSurfaceState = stateW > 0 ? STATE_BY_RANK[argmaxLast(stateVotes)] : undefined;
  return out;
}

/** Index of the largest value; on a tie, the last (most hazardous) one. */
function argmaxLast(votes: Float64Array): number {
  let best = 0;
  for (let i = 1; i < votes.length; i++) if (votes[i] >= votes[best]) best = i;
  return best;
}

function fillMissing(out: PointWeather, cfg: InterpolationConfig): PointWeather {
  out.stations = 0;
  out.nearestM = NaN;
  out.ageMin = NaN;
  out.precipitationMmH = 0;
  out.precipitationType = 'none';
  out.visibilityM = cfg.missingVisibilityM;
  out.windSpeedMs = 0;
  out.windGustMs = 0;
  out.airTemperatureC = cfg.missingAirTemperatureC;
  out.roadSurfaceTemperatureC = NaN;
  out.roadSurfaceState = undefined;
  return out;
}

/**
 * The weather at any point: every station within `radiusM` (geodesic distance, turf), nearest
 * first, then `interpolateWeather`. O(stations); the feature assembler keeps per-segment
 * candidate lists instead, and gives the same answer (property-tested).
 */
export function weatherAt(
  table: WeatherTable,
  lat: number,
  lon: number,
  atMs: number,
  cfg: InterpolationConfig,
  pointElevationM = NaN,
): PointWeather {
  const near: { slot: number; d: number }[] = [];
  for (let slot = 0; slot < table.size; slot++) {
    const obs = table.at(slot);
    const d = distance([lon, lat], [obs.lon, obs.lat], { units: 'meters' });
    if (d <= cfg.radiusM) near.push({ slot, d });
  }
  near.sort((a, b) => a.d - b.d || a.slot - b.slot);
  return interpolateWeather(
    table,
    near.map((c) => c.slot),
    near.map((c) => c.d),
    near.length,
    atMs,
    pointElevationM,
    cfg,
    emptyPointWeather(),
  );
}

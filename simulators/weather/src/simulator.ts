import type { WeatherObservation } from '@saferoads/shared/contracts';
import type { Segment } from '@saferoads/shared/network';
import type { WeatherFactors, WeatherInput } from '@saferoads/loop-sensor';
import { weatherEffect } from './model/effects.js';
import { conditionsAt, type Conditions } from './model/field.js';
import { segmentSite, type Site } from './model/geo.js';
import { buildScenario, type Scenario } from './model/scenario.js';
import { DEFAULT_STATION_SPACING_KM, placeStations, type Station } from './model/stations.js';
import { SPIN_UP_MS, SurfaceModel, type SurfaceState } from './model/surface.js';
import type { WeatherBatch, WeatherSimulatorOptions } from './types.js';

export const DEFAULT_INTERVAL_S = 300;

function check(cond: boolean, msg: string): void {
  if (!cond) throw new RangeError(msg);
}

const round = (v: number, step: number) => Math.round(v / step) * step;
/** Rounded as a sensor reports it, without binary noise in the output (0.30000000000000004). */
const reading = (v: number, step: number) => Number(round(v, step).toFixed(step < 1 ? Math.round(-Math.log10(step)) : 0));

/**
 * Simulates road weather stations over a road network: moving rain fronts (snow and sleet where
 * it is cold enough), fog patches, a daily temperature cycle with elevation, gusts, and the road
 * surface each station's sensor sees. Pure and deterministic: the same options give the same
 * readings, in any order they are asked for. `effects()` gives the loop-sensor simulator the same
 * weather's effect on traffic.
 */
export class WeatherSimulator {
  readonly scenario: Scenario;
  readonly stations: readonly Station[];
  readonly intervalMs: number;
  /** Rounds of readings: at startMs and every interval before the end. */
  readonly roundCount: number;
  readonly startMs: number;
  private readonly surfaces = new Map<string, SurfaceModel>();

  constructor(private readonly opts: WeatherSimulatorOptions) {
    const intervalS = opts.intervalS ?? DEFAULT_INTERVAL_S;
    check(Number.isSafeInteger(opts.seed), 'seed must be an integer');
    check(Number.isSafeInteger(opts.startMs), 'startMs must be an integer epoch ms');
    check(Number.isFinite(opts.minutes) && opts.minutes > 0, 'minutes must be > 0');
    check(Number.isInteger(intervalS) && intervalS >= 10 && intervalS <= 86_400, 'intervalS must be a whole number of seconds in 10..86400');
    const spacing = opts.stationSpacingKm ?? DEFAULT_STATION_SPACING_KM;
    check(Number.isFinite(spacing) && spacing > 0, 'stationSpacingKm must be > 0');
    const offset = opts.temperatureOffsetC ?? 0;
    check(Number.isFinite(offset) && Math.abs(offset) <= 30, 'temperatureOffsetC must be within -30..30');
    this.startMs = opts.startMs;
    this.intervalMs = intervalS * 1000;
    this.roundCount = Math.ceil((opts.minutes * 60_000) / this.intervalMs);
    const untilMs = opts.startMs + opts.minutes * 60_000;
    this.scenario = buildScenario(opts.network, { seed: opts.seed, startMs: opts.startMs, fromMs: opts.startMs - SPIN_UP_MS, untilMs, temperatureOffsetC: offset });
    this.stations = placeStations(opts.network, this.scenario.projection, spacing);
  }

  /** The rounds of readings, in time order. Each call starts afresh and gives the same rounds. */
  *batches(): Generator<WeatherBatch> {
    for (let k = 0; k < this.roundCount; k++) {
      const t = this.startMs + k * this.intervalMs;
      yield { fromMs: t, untilMs: t, observations: this.stations.map((s) => this.observe(s, t)) };
    }
  }

  /** A station's reading at `tMs`, rounded as its sensors report. */
  observe(station: Station, tMs: number): WeatherObservation {
    const c = conditionsAt(this.scenario, station, tMs);
    const road = this.surfaceOf(station.stationId, station).at(tMs);
    return {
      stationId: station.stationId,
      lat: reading(station.lat, 0.00001),
      lon: reading(station.lon, 0.00001),
      ...(station.elevationM !== undefined && { elevationM: Math.round(station.elevationM) }),
      ts: tMs,
      precipitationMmH: reading(c.precipitationMmH, 0.1),
      precipitationType: c.precipitationMmH >= 0.05 ? c.precipitationType : 'none',
      visibilityM: Math.min(100_000, reading(c.visibilityM, 10)),
      windSpeedMs: reading(c.windSpeedMs, 0.1),
      windGustMs: reading(Math.max(c.windGustMs, c.windSpeedMs), 0.1),
      airTemperatureC: reading(c.airTemperatureC, 0.1),
      roadSurfaceTemperatureC: reading(road.temperatureC, 0.1),
      roadSurfaceState: road.state,
    };
  }

  /** The weather and the road at a segment's middle. */
  conditionsOf(segment: Segment, tMs: number): { readonly weather: Conditions; readonly road: SurfaceState } {
    const site = segmentSite(segment);
    return { weather: conditionsAt(this.scenario, site, tMs), road: this.surfaceOf(`segment:${segment.id}`, site).at(tMs) };
  }

  /**
   * The weather's effect on traffic for the loop-sensor simulator: per segment, at its middle, the
   * factors of weatherEffect (HCM / FHWA figures, docs/weather.md), evaluated once per minute of
   * simulated time (weather changes over minutes, the traffic model steps every 5 s). Times must
   * not go back more than the road-surface spin-up allows (12 h before the start).
   */
  effects(): WeatherInput {
    const sites = new Map<string, Site>();
    const cached = new Map<string, { minute: number; factors: WeatherFactors }>();
    return (segment: Segment, tMs: number): WeatherFactors => {
      const minute = Math.floor(tMs / 60_000);
      const hit = cached.get(segment.id);
      if (hit && hit.minute === minute) return hit.factors;
      let site = sites.get(segment.id);
      if (!site) sites.set(segment.id, (site = segmentSite(segment)));
      const t = minute * 60_000 + 30_000;
      const factors = weatherEffect(conditionsAt(this.scenario, site, t), this.surfaceOf(`segment:${segment.id}`, site).at(t));
      cached.set(segment.id, { minute, factors });
      return factors;
    };
  }

  private surfaceOf(key: string, site: Site): SurfaceModel {
    let m = this.surfaces.get(key);
    if (!m) this.surfaces.set(key, (m = new SurfaceModel(this.scenario, site)));
    return m;
  }
}

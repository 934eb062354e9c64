import type { WeatherObservation } from '@saferoads/shared/contracts';
import { dayOfYear, daylight, solarHour } from './climate.js';
import { conditionsAt, type Conditions } from './field.js';
import type { Site } from './geo.js';
import type { Scenario } from './scenario.js';

type RoadSurfaceState = NonNullable<WeatherObservation['roadSurfaceState']>;

/** The road at one place: its temperature and what lies on it. */
export interface SurfaceState {
  readonly temperatureC: number;
  /** Water film, mm. */
  readonly waterMm: number;
  /** Snow and ice, mm water equivalent. */
  readonly snowMm: number;
  readonly iceMm: number;
  readonly state: RoadSurfaceState;
}

const STEP_MS = 60_000;
/** The road surfaces start this long before the run, dry at air temperature, so the start already has the last front's puddles. */
export const SPIN_UP_MS = 12 * 3_600_000;
/** More water than this runs off or is thrown off by tyres within minutes. */
const MAX_FILM_MM = 1;

/**
 * Reads the road as a road weather station's surface sensor does: snow when 0.2 mm water
 * equivalent (about 2 mm of fresh snow) or more lies, else ice from 0.05 mm of ice, else wet from a 0.2 mm film, moist from
 * 0.02 mm, dry below.
 */
export function surfaceState(waterMm: number, snowMm: number, iceMm: number): RoadSurfaceState {
  if (snowMm >= 0.2) return 'snow';
  if (iceMm >= 0.05) return 'ice';
  if (waterMm >= 0.2) return 'wet';
  if (waterMm >= 0.02) return 'moist';
  return 'dry';
}

/**
 * One minute of the road surface (a bulk model after the usual road-weather balance, simplified):
 * the surface temperature relaxes towards the air's plus sunshine by day, minus the clear sky's
 * radiative cooling by night (both damped by cloud), within 40 minutes (20 in precipitation);
 * rain wets it (or freezes on a road at or below 0 °C), snow settles on a road up to +1 °C and
 * melts on a warmer one; water runs off above a 1 mm film, evaporates with wind and warmth and
 * freezes below -0.5 °C; snow and ice melt above +0.5 °C and winter service (ploughs, salt)
 * clears them within hours (snow e-folds in 1.5 h, ice goes at 0.1 mm/h). Returns the next state.
 */
export function stepSurface(prev: SurfaceState, c: Conditions, tMs: number, lonDeg: number): SurfaceState {
  const dtH = STEP_MS / 3_600_000;
  const h = solarHour(tMs, lonDeg);
  const summer = 0.5 - 0.5 * Math.cos((2 * Math.PI * (dayOfYear(tMs) - 15)) / 365.25);
  const clearSky = 1 - c.cloud;
  const sun = daylight(h) * (4 + 8 * summer) * clearSky;
  const sky = daylight(h) > 0 ? 0 : 2.5 * clearSky;
  const target = c.airTemperatureC + sun - sky;
  const tauH = (c.precipitationMmH > 0 ? 20 : 40) / 60;
  const temp = prev.temperatureC + (target - prev.temperatureC) * (1 - Math.exp(-dtH / tauH));

  let water = prev.waterMm;
  let snow = prev.snowMm;
  let ice = prev.iceMm;
  const fall = c.precipitationMmH * dtH;
  const liquid = c.precipitationType === 'rain' || c.precipitationType === 'hail' ? fall : c.precipitationType === 'sleet' ? fall / 2 : 0;
  const solid = fall - liquid;
  if (temp > 0) water += liquid;
  else ice += liquid;
  if (temp <= 1) snow += solid;
  else water += solid;

  if (water > MAX_FILM_MM) water = MAX_FILM_MM + (water - MAX_FILM_MM) * Math.exp(-dtH / 0.1);
  if (c.precipitationMmH === 0) water = Math.max(0, water - (0.08 + 0.03 * c.windSpeedMs + 0.02 * Math.max(0, temp)) * dtH);
  if (temp < -0.5 && water > 0) {
    const frozen = Math.min(water, 2 * dtH);
    water -= frozen;
    ice += frozen;
  }
  if (temp > 0.5) {
    const melt = (0.5 * (temp - 0.5) + 0.2) * dtH;
    const fromSnow = Math.min(snow, melt);
    const fromIce = Math.min(ice, melt - fromSnow);
    snow -= fromSnow;
    ice -= fromIce;
    water += fromSnow + fromIce;
  }
  // Winter service: motorway ploughs and salt clear what lies within a few hours.
  snow *= Math.exp(-dtH / 1.5);
  ice = Math.max(0, ice - 0.1 * dtH);
  return { temperatureC: temp, waterMm: water, snowMm: snow, iceMm: ice, state: surfaceState(water, snow, ice) };
}

/**
 * The road surface at one site through a run: integrated minute by minute from SPIN_UP_MS before
 * the scenario's start. Asked in increasing time it advances from where it was; asked for an
 * earlier time it starts again, so the answer depends on the time only.
 */
export class SurfaceModel {
  private t = 0;
  private s: SurfaceState | null = null;

  constructor(
    private readonly scenario: Scenario,
    private readonly site: Site,
  ) {}

  /** The state after the last whole minute at or before tMs. */
  at(tMs: number): SurfaceState {
    const from = Math.floor((this.scenario.startMs - SPIN_UP_MS) / STEP_MS) * STEP_MS;
    const until = Math.max(from, Math.floor(tMs / STEP_MS) * STEP_MS);
    if (this.s === null || until < this.t) {
      const c = conditionsAt(this.scenario, this.site, from);
      this.s = { temperatureC: c.airTemperatureC, waterMm: 0, snowMm: 0, iceMm: 0, state: 'dry' };
      this.t = from;
    }
    while (this.t < until) {
      const mid = this.t + STEP_MS / 2;
      this.s = stepSurface(this.s, conditionsAt(this.scenario, this.site, mid), mid, this.site.lon);
      this.t += STEP_MS;
    }
    return this.s;
  }
}

import type { WeatherObservation } from '@saferoads/shared/contracts';
import { dayOfYear, diurnalHalfRangeC, diurnalShape, LAPSE_C_PER_M, REFERENCE_ELEVATION_M, seasonalMeanC, solarDay, solarHour } from './climate.js';
import type { Site } from './geo.js';
import { hash01, noise1, noise2, streamOf } from './noise.js';
import type { Scenario } from './scenario.js';

/** The weather at one place and moment, before a sensor rounds it. */
export interface Conditions {
  /** Water equivalent, mm/h. */
  readonly precipitationMmH: number;
  readonly precipitationType: WeatherObservation['precipitationType'];
  readonly visibilityM: number;
  readonly windSpeedMs: number;
  readonly windGustMs: number;
  readonly airTemperatureC: number;
  /** Cloud cover 0..1: damps the daily cycle and the road's radiative heating and cooling. */
  readonly cloud: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Below this a gauge reads nothing. */
const TRACE_MMH = 0.05;

/** Noise streams of one seed, computed once. */
interface Streams {
  readonly anomaly: number;
  readonly cloud: number;
  readonly haze: number;
  readonly wind: number;
  readonly gust: number;
  readonly fog: readonly number[];
}

const streamsBySeed = new Map<number, Streams>();
function streams(s: Scenario): Streams {
  let st = streamsBySeed.get(s.seed);
  if (!st || st.fog.length < s.fog.length) {
    st = {
      anomaly: streamOf(s.seed, 'anomaly'),
      cloud: streamOf(s.seed, 'cloud'),
      haze: streamOf(s.seed, 'haze'),
      wind: streamOf(s.seed, 'wind'),
      gust: streamOf(s.seed, 'gust'),
      fog: s.fog.map((_, i) => streamOf(s.seed, `fog-${i}`)),
    };
    streamsBySeed.set(s.seed, st);
  }
  return st;
}

/** 0 -> 1 over [a, b], linearly. */
const ramp = (x: number, a: number, b: number) => (x <= a ? 0 : x >= b ? 1 : (x - a) / (b - a));

/**
 * The precipitation type a surface observer would report at an air temperature: snow at or below
 * +0.5 °C, sleet (mixed rain and snow) to +2 °C, rain above; hail only from heavy convective
 * showers in warm air. (Melting level thresholds after the usual 0-2 °C rain-snow transition.)
 */
export function precipitationTypeAt(tempC: number, rateMmH: number): WeatherObservation['precipitationType'] {
  if (rateMmH < TRACE_MMH) return 'none';
  if (tempC <= 0.5) return 'snow';
  if (tempC <= 2) return 'sleet';
  if (rateMmH >= 10 && tempC >= 16) return 'hail';
  return 'rain';
}

/**
 * How far one sees through falling precipitation, m. Snow after the intensity classes of the US
 * Federal Meteorological Handbook No. 1 (heavy snow: visibility 1/4 statute mile, ~400 m, or
 * less; light: more than 1/2 mile): 1 km at 0.5 mm/h water equivalent, ~320 m at 2.5 mm/h. Rain
 * hinders far less: 10 km at 1 mm/h, ~3 km at 7.6 mm/h (the handbook's heavy-rain threshold).
 * Sleet between the two.
 */
export function precipitationVisibilityM(type: WeatherObservation['precipitationType'], rateMmH: number): number {
  if (type === 'none' || rateMmH < TRACE_MMH) return Infinity;
  const rain = 10_000 * Math.pow(rateMmH, -0.6);
  const snow = 1_000 * Math.pow(rateMmH / 0.5, -0.7);
  if (type === 'snow') return snow;
  if (type === 'sleet') return Math.sqrt(rain * snow);
  return rain;
}

/**
 * The scenario's weather at a site and moment: a pure function, so stations and the traffic
 * model's segments see one consistent field, evaluated in any order.
 */
export function conditionsAt(s: Scenario, site: Site, tMs: number): Conditions {
  const st = streams(s);
  const p = s.projection.toKm(site);
  const elevation = site.elevationM ?? REFERENCE_ELEVATION_M;
  const h = solarHour(tMs, site.lon);

  let precip = 0;
  let cooling = 0;
  let frontWind = 0;
  let proximity = 0;
  let cloud = 0.1 + 0.5 * noise1(st.cloud, tMs / (6 * HOUR));
  for (const f of s.fronts) {
    const sin = Math.sin(f.headingRad);
    const cos = Math.cos(f.headingRad);
    // s: km ahead of the front's axis (positive: not arrived yet); `across`: along the axis.
    const ahead = p.x * sin + p.y * cos - (f.speedKmh * (tMs - f.passMs)) / HOUR;
    const sigma = f.halfWidthKm;
    if (ahead > 10 * sigma) continue;
    const across = -p.x * cos + p.y * sin;
    // Rain cells (6 km lattice) ride with the front: heavier and lighter patches along the band.
    const cells = 0.45 + 1.1 * noise2(f.cellStream, across / 6, ahead / 6);
    precip += f.peakMmH * Math.exp(-((ahead / sigma) ** 2)) * cells;
    // Colder air behind the front, recovering over half a day.
    const hoursBehind = Math.max(0, -ahead) / f.speedKmh;
    cooling += (f.coolingC / (1 + Math.exp(ahead / (sigma / 2)))) * Math.exp(-hoursBehind / 12);
    frontWind += f.windMs * Math.exp(-(((ahead - 0.5 * sigma) / sigma) ** 2));
    proximity = Math.max(proximity, Math.exp(-(((ahead - 0.3 * sigma) / sigma) ** 2)));
    // Cloud shield: thickens ahead of the band, clears behind it.
    cloud = Math.max(cloud, Math.exp(-(((ahead - sigma) / (2.5 * sigma)) ** 2)));
  }
  const doy = dayOfYear(tMs);
  const anomaly = (noise1(st.anomaly, tMs / DAY) - 0.5) * 8;
  const dryTemp =
    seasonalMeanC(doy) +
    anomaly +
    diurnalHalfRangeC(doy) * (1 - 0.6 * cloud) * diurnalShape(h) -
    LAPSE_C_PER_M * (elevation - REFERENCE_ELEVATION_M) -
    cooling +
    s.temperatureOffsetC;
  // Colder air holds less water (Clausius-Clapeyron, ~7 % per °C): a band that rains 8 mm/h at
  // +10 °C snows about 3 mm/h at -3 °C.
  precip *= Math.min(1, Math.exp(0.07 * (dryTemp - 10)));
  if (precip < TRACE_MMH) precip = 0;
  // Falling precipitation cools the air it falls through (evaporation, melting).
  const temp = dryTemp - 0.4 * Math.sqrt(precip);
  const type = precipitationTypeAt(temp, precip);

  // Wind: afternoon mixing, passes and ridges windier, a front's leading edge and gust spells.
  let spell = 0;
  for (const g of s.gusts) spell = Math.max(spell, g.extraWindMs * Math.min(ramp(tMs, g.fromMs, g.fromMs + 10 * 60_000), 1 - ramp(tMs, g.toMs - 10 * 60_000, g.toMs)));
  const height = 1 + Math.max(0, elevation - REFERENCE_ELEVATION_M) / 2000;
  const turbulence = 0.75 + 0.5 * noise2(st.wind, tMs / (20 * 60_000), (p.x + p.y) / 20);
  const wind = (s.baseWindMs * (1 + 0.4 * Math.max(0, diurnalShape(h))) * turbulence + frontWind + spell) * height;
  const gustFactor = 1.35 + 0.3 * noise1(st.gust, tMs / (5 * 60_000) + p.x) + 0.3 * proximity + (spell > 0 ? 0.4 : 0);
  const gust = Math.max(wind + 0.5, wind * gustFactor);

  // Visibility: haze, precipitation, then fog patches blended in log space.
  const clear = Math.min(15_000 + 35_000 * noise1(st.haze, tMs / (3 * HOUR)), precipitationVisibilityM(type, precip));
  let fogged = 0;
  let fogMinM = Infinity;
  const day = solarDay(tMs, site.lon);
  s.fog.forEach((patch, i) => {
    if (hash01(st.fog[i], day) >= patch.likelihood) return;
    const life = Math.min(ramp(h, patch.formsH, patch.formsH + 0.75), 1 - ramp(h, patch.clearsH - 0.75, patch.clearsH));
    if (life <= 0) return;
    const r2 = ((p.x - patch.at.x) ** 2 + (p.y - patch.at.y) ** 2) / patch.radiusKm ** 2;
    // Wind mixes radiation fog away; rain washes it out.
    const kept = Math.exp(-Math.max(0, wind - 3) / 2) * (precip > 0.2 ? 0.3 : 1);
    const f = life * kept * Math.exp(-r2);
    if (f > fogged) {
      fogged = f;
      fogMinM = patch.minVisibilityM;
    }
  });
  const visibility = fogged > 0 ? Math.exp(Math.log(clear) * (1 - fogged) + Math.log(Math.min(clear, fogMinM)) * fogged) : clear;

  return { precipitationMmH: precip, precipitationType: type, visibilityM: visibility, windSpeedMs: wind, windGustMs: gust, airTemperatureC: temp, cloud };
}

import { int, num, OptionError, parseDelivery, parseIsoTime, type Delivery } from '@saferoads/loop-sensor/cli';
import { parseTarget, TargetUrlError, type TargetSpec } from '@saferoads/loop-sensor/targets';
import { WEATHER_ROUTE } from '../format.js';
import { DEFAULT_INTERVAL_S } from '../simulator.js';
import { DEFAULT_STATION_SPACING_KM } from '../model/stations.js';

/** `saferoads simulate-weather` options as commander hands them over: strings, as typed. */
export interface RawWeatherOptions {
  seed?: string;
  minutes?: string;
  start?: string;
  network?: string;
  interval?: string;
  stationSpacing?: string;
  temperatureOffset?: string;
  speed?: string;
  out?: string;
  /** The same as --out, by its longer name. */
  output?: string;
  target?: string;
  batchSize?: string;
  concurrency?: string;
  attempts?: string;
}

export interface WeatherConfig extends Delivery {
  seed: number;
  minutes: number;
  startMs: number;
  /** undefined: the bundled network. */
  networkPath: string | undefined;
  intervalS: number;
  stationSpacingKm: number;
  temperatureOffsetC: number;
  speed: number;
  /** undefined: NDJSON to stdout (or the target). */
  out: string | undefined;
}

const temperatureOffset = (raw: string | undefined) => num('--temperature-offset', raw, 0, -30, 30);

/** Validates every option of `saferoads simulate-weather` once, before anything runs; OptionError names the first bad one. */
export function parseWeatherOptions(raw: RawWeatherOptions, nowMs: number): WeatherConfig {
  if (raw.out !== undefined && raw.output !== undefined) throw new OptionError('--output', 'is --out by another name: give one of them');
  const out = raw.out ?? raw.output;
  if (out !== undefined && out.trim() === '') throw new OptionError(raw.out !== undefined ? '--out' : '--output', 'must name a file');
  if (raw.network !== undefined && raw.network.trim() === '') throw new OptionError('--network', 'must name a file');
  return {
    seed: int('--seed', raw.seed, 1, 0, Number.MAX_SAFE_INTEGER),
    minutes: num('--minutes', raw.minutes, 60, Number.MIN_VALUE, 366 * 24 * 60),
    startMs: raw.start === undefined ? Math.floor(nowMs / 60_000) * 60_000 : parseIsoTime('--start', raw.start),
    networkPath: raw.network,
    intervalS: int('--interval', raw.interval, DEFAULT_INTERVAL_S, 10, 86_400),
    stationSpacingKm: num('--station-spacing', raw.stationSpacing, DEFAULT_STATION_SPACING_KM, 0.1, 1_000),
    temperatureOffsetC: temperatureOffset(raw.temperatureOffset),
    speed: num('--speed', raw.speed, 0, 0, 10_000),
    out,
    ...parseDelivery({ ...raw, out }, WEATHER_ROUTE),
  };
}

/** `saferoads simulate --weather` and its weather options, as commander hands them over. */
export interface RawCompanionOptions {
  weather?: boolean;
  weatherOut?: string;
  weatherTarget?: string;
  temperatureOffset?: string;
}

/** The weather that runs alongside the traffic of `saferoads simulate --weather`: where its readings go, if anywhere. */
export interface CompanionConfig {
  readonly out: string | undefined;
  readonly target: TargetSpec | undefined;
  readonly temperatureOffsetC: number;
}

/** The weather options of `saferoads simulate`; undefined without --weather. Refuses them without it. */
export function parseWeatherCompanion(raw: RawCompanionOptions): CompanionConfig | undefined {
  if (!raw.weather) {
    for (const [option, value] of [
      ['--weather-out', raw.weatherOut],
      ['--weather-target', raw.weatherTarget],
      ['--temperature-offset', raw.temperatureOffset],
    ] as const) {
      if (value !== undefined) throw new OptionError(option, 'has no effect without --weather');
    }
    return undefined;
  }
  if (raw.weatherOut !== undefined && raw.weatherOut.trim() === '') throw new OptionError('--weather-out', 'must name a file');
  if (raw.weatherOut !== undefined && raw.weatherTarget !== undefined) throw new OptionError('--weather-target', 'cannot be combined with --weather-out');
  let target: TargetSpec | undefined;
  if (raw.weatherTarget !== undefined) {
    try {
      target = parseTarget(raw.weatherTarget, WEATHER_ROUTE);
    } catch (err) {
      if (err instanceof TargetUrlError) throw new OptionError('--weather-target', err.message);
      throw err;
    }
  }
  return { out: raw.weatherOut, target, temperatureOffsetC: temperatureOffset(raw.temperatureOffset) };
}

import type { Network } from '@saferoads/shared/network';
import { ConfigError } from '@saferoads/shared/errors';
import { contextConfig, type ContextConfig } from '../config.js';
import { HolidayCalendar, holidayCalendarProblems } from '../calendar/holidays.js';
import { glareShare, sunPosition, type SunPosition } from '../calendar/sun.js';
import { DAY_MS, ZoneClock, isoDayOfWeek } from '../calendar/zone-clock.js';
import { computeRoadShapes, type SegmentShape } from '../shape/road-shape.js';
import { freezingRisk } from '../weather/freezing.js';
import { emptyPointWeather, interpolateWeather, type PointWeather } from '../weather/interpolate.js';
import { PointStations } from '../weather/point-stations.js';
import type { WeatherTable } from '../weather/table.js';
import { CONTEXT_FEATURE_COUNT, CONTEXT_FEATURE_NAMES, FEATURE_INDEX as F, type ContextFeatureRecord } from './names.js';

/** Where a feature row is written: a plain array or a typed array (a model's input tensor). */
export type FeatureRow = Float64Array | Float32Array | number[];

const HOUR_MS = 3_600_000;
const TWO_PI = 2 * Math.PI;

/** The road-shape features, fixed per segment: the first STATIC_COUNT columns of a row. */
function staticValues(s: SegmentShape): number[] {
  const h = (s.headingDeg * Math.PI) / 180;
  return [
    s.lengthM,
    Math.sin(h),
    Math.cos(h),
    s.curvatureDegPerKm,
    s.minRadiusM,
    s.gradePct,
    s.gradeKnown ? 1 : 0,
    s.lanes,
    s.lanesChangeDownstream,
    s.speedLimitKmh,
    s.surfaceQuality,
    s.urban ? 1 : 0,
    s.tunnel ? 1 : 0,
    s.bridge ? 1 : 0,
    s.distOnRampM,
    s.distOffRampM,
    s.upstreamCount,
    s.downstreamCount,
  ];
}
const STATIC_COUNT = F.hourSin;

export interface ContextFeatureAssemblerOptions {
  config?: Partial<ContextConfig>;
}

/**
 * Context features of a segment-minute: road shape (computed once here), calendar in the
 * segment's time zone, sun, and weather from the table. Everything that only changes per hour
 * (time-zone offset), per local day (holidays) or when a station appears or moves (the stations
 * near each segment) is cached; a row costs one sun position (suncalc), a few sines and one
 * weighted average over at most maxStations readings, and allocates nothing but suncalc's Date and result.
 *
 * Not thread-safe (no JavaScript is): one assembler per scorer.
 */
export class ContextFeatureAssembler {
  readonly config: ContextConfig;
  readonly shapes: readonly SegmentShape[];
  private readonly byId: ReadonlyMap<string, SegmentShape>;
  private readonly staticRows: Float64Array;
  private readonly clocks: ZoneClock[];
  private readonly zoneOf: Int32Array;
  private readonly calendars: HolidayCalendar[];
  private readonly calendarOf: Int32Array;
  private readonly cachedDay: Float64Array;
  private readonly dayFlags: Uint8Array; // bit 0: holiday, bit 1: day before a holiday
  private readonly weekendMask: number;
  private readonly lat: Float64Array;
  private readonly lon: Float64Array;
  private readonly elevation: Float64Array;
  private readonly stations: PointStations;
  private readonly weather: PointWeather = emptyPointWeather();
  private readonly sun: SunPosition = { altitudeDeg: 0, azimuthDeg: 0 };

  constructor(network: Network, opts: ContextFeatureAssemblerOptions = {}) {
    this.config = contextConfig(opts.config);
    this.checkCalendars(network);
    const shapes = computeRoadShapes(network, this.config);
    const n = shapes.length;
    this.shapes = shapes;
    this.byId = new Map(shapes.map((s) => [s.segmentId, s]));

    this.staticRows = new Float64Array(n * STATIC_COUNT);
    shapes.forEach((s, i) => this.staticRows.set(staticValues(s), i * STATIC_COUNT));

    const zones = new Map<string, number>();
    const cals = new Map<string, number>();
    this.clocks = [];
    this.calendars = [];
    this.zoneOf = new Int32Array(n);
    this.calendarOf = new Int32Array(n);
    for (const s of shapes) {
      let z = zones.get(s.timezone);
      if (z === undefined) {
        z = this.clocks.push(new ZoneClock(s.timezone)) - 1;
        zones.set(s.timezone, z);
      }
      this.zoneOf[s.index] = z;
      const key = `${s.country}\u0000${s.region ?? ''}`;
      let c = cals.get(key);
      if (c === undefined) {
        c = this.calendars.push(new HolidayCalendar(s.country, s.region)) - 1;
        cals.set(key, c);
      }
      this.calendarOf[s.index] = c;
    }
    this.cachedDay = new Float64Array(n).fill(NaN);
    this.dayFlags = new Uint8Array(n);
    this.weekendMask = this.config.weekendDays.reduce((m, d) => m | (1 << d), 0);

    this.lat = Float64Array.from(shapes, (s) => s.midpoint.lat);
    this.lon = Float64Array.from(shapes, (s) => s.midpoint.lon);
    this.elevation = Float64Array.from(shapes, (s) => s.midpoint.elevationM);
    this.stations = new PointStations(this.lat, this.lon, this.config.radiusM);
  }

  /** Every unknown holiday country or region, named with the segments that use it, in one ConfigError. */
  private checkCalendars(network: Network): void {
    const bySetting = new Map<string, string[]>();
    for (const s of network.segments) {
      const key = `${s.props.country}\u0000${s.props.region ?? ''}`;
      const ids = bySetting.get(key);
      if (ids) ids.push(s.id);
      else bySetting.set(key, [s.id]);
    }
    const problems: string[] = [];
    for (const [key, ids] of bySetting) {
      const [country, region] = key.split('\u0000');
      for (const p of holidayCalendarProblems(country, region === '' ? undefined : region)) {
        const shown = ids.length > 3 ? `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more` : ids.join(', ');
        problems.push(`segments ${shown}: ${p}`);
      }
    }
    if (problems.length > 0) throw new ConfigError('context (network holidays)', problems);
  }

  get featureNames(): readonly string[] {
    return CONTEXT_FEATURE_NAMES;
  }

  /** The precomputed shape of a segment by id; throws RangeError for an id not in the network. */
  shape(segmentId: string): SegmentShape {
    const s = this.byId.get(segmentId);
    if (s === undefined) throw new RangeError(`unknown segment "${segmentId}"`);
    return s;
  }

  /**
   * Writes the context features of `segment` at `minuteMs` (epoch ms) into
   * `out[offset .. offset + CONTEXT_FEATURE_COUNT)`, in CONTEXT_FEATURE_NAMES order.
   */
  write(segment: SegmentShape | number, minuteMs: number, table: WeatherTable, out: FeatureRow, offset = 0): void {
    const i = typeof segment === 'number' ? segment : segment.index;
    if (!(i >= 0 && i < this.shapes.length) || !Number.isInteger(i)) throw new RangeError(`no segment at index ${i}`);
    if (!Number.isFinite(minuteMs)) throw new RangeError(`minuteMs must be a finite epoch ms, got ${minuteMs}`);
    const cfg = this.config;
    const o = offset;

    const base = i * STATIC_COUNT;
    for (let k = 0; k < STATIC_COUNT; k++) out[o + k] = this.staticRows[base + k];

    // Calendar in local time.
    const local = minuteMs + this.clocks[this.zoneOf[i]].offsetMs(minuteMs);
    const day = Math.floor(local / DAY_MS);
    if (day !== this.cachedDay[i]) {
      const cal = this.calendars[this.calendarOf[i]];
      this.dayFlags[i] = (cal.isPublicHoliday(day) ? 1 : 0) | (cal.isPublicHoliday(day + 1) ? 2 : 0);
      this.cachedDay[i] = day;
    }
    const hourAngle = (((local - day * DAY_MS) / HOUR_MS) * TWO_PI) / 24;
    const dow = isoDayOfWeek(day);
    const dowAngle = ((dow - 1) * TWO_PI) / 7;
    out[o + F.hourSin] = Math.sin(hourAngle);
    out[o + F.hourCos] = Math.cos(hourAngle);
    out[o + F.dowSin] = Math.sin(dowAngle);
    out[o + F.dowCos] = Math.cos(dowAngle);
    out[o + F.weekend] = (this.weekendMask >> dow) & 1;
    out[o + F.holiday] = this.dayFlags[i] & 1;
    out[o + F.dayBeforeHoliday] = (this.dayFlags[i] >> 1) & 1;

    // Sun.
    const sun = sunPosition(minuteMs, this.lat[i], this.lon[i], this.sun);
    const shape = this.shapes[i];
    out[o + F.sunAltitudeDeg] = sun.altitudeDeg;
    out[o + F.twilight] = sun.altitudeDeg >= cfg.darkAltitudeDeg && sun.altitudeDeg < cfg.daylightAltitudeDeg ? 1 : 0;
    out[o + F.dark] = sun.altitudeDeg < cfg.darkAltitudeDeg ? 1 : 0;
    out[o + F.sunGlare] = shape.tunnel ? 0 : glareShare(sun, shape.headingsDeg, shape.headingShares, cfg);

    // Weather.
    this.stations.sync(table);
    const slots = this.stations.slotsOf(i);
    const w = interpolateWeather(table, slots, this.stations.distancesOf(i), slots.length, minuteMs, this.elevation[i], cfg, this.weather);
    const missing = w.stations === 0;
    out[o + F.weatherMissing] = missing ? 1 : 0;
    out[o + F.weatherStations] = w.stations;
    out[o + F.weatherStaleStations] = w.staleStations;
    out[o + F.weatherNearestM] = missing ? cfg.radiusM : w.nearestM;
    out[o + F.weatherAgeMin] = missing ? cfg.maxAgeMs / 60_000 : w.ageMin;
    out[o + F.precipitationMmH] = w.precipitationMmH;
    out[o + F.precipRain] = w.precipitationType === 'rain' ? 1 : 0;
    out[o + F.precipSnow] = w.precipitationType === 'snow' ? 1 : 0;
    out[o + F.precipSleet] = w.precipitationType === 'sleet' ? 1 : 0;
    out[o + F.precipHail] = w.precipitationType === 'hail' ? 1 : 0;
    out[o + F.visibilityM] = w.visibilityM;
    out[o + F.windSpeedMs] = w.windSpeedMs;
    out[o + F.windGustMs] = w.windGustMs;
    out[o + F.airTemperatureC] = w.airTemperatureC;
    const surfaceKnown = !Number.isNaN(w.roadSurfaceTemperatureC);
    out[o + F.roadSurfaceTemperatureC] = surfaceKnown ? w.roadSurfaceTemperatureC : w.airTemperatureC;
    out[o + F.roadSurfaceTemperatureKnown] = surfaceKnown ? 1 : 0;
    const state = w.roadSurfaceState;
    out[o + F.roadSurfaceStateKnown] = state === undefined ? 0 : 1;
    out[o + F.roadMoist] = state === 'moist' ? 1 : 0;
    out[o + F.roadWet] = state === 'wet' ? 1 : 0;
    out[o + F.roadIce] = state === 'ice' ? 1 : 0;
    out[o + F.roadSnow] = state === 'snow' ? 1 : 0;
    out[o + F.freezingRisk] = freezingRisk(w, shape.structure, cfg);
  }

  /**
   * Rows for every segment at `minuteMs`, segment i at `out[i * CONTEXT_FEATURE_COUNT ..]`: the
   * batch the scorer feeds the model in one inference.
   */
  writeAll(minuteMs: number, table: WeatherTable, out: FeatureRow): void {
    for (let i = 0; i < this.shapes.length; i++) this.write(i, minuteMs, table, out, i * CONTEXT_FEATURE_COUNT);
  }

  /** The context features of one segment-minute as a record (allocates: for tests, tools and explanations). */
  features(segment: SegmentShape | number | string, minuteMs: number, table: WeatherTable): ContextFeatureRecord {
    const s = typeof segment === 'string' ? this.shape(segment) : segment;
    const row = new Float64Array(CONTEXT_FEATURE_COUNT);
    this.write(s, minuteMs, table, row);
    return toFeatureRecord(row);
  }
}

/** A row (CONTEXT_FEATURE_NAMES order) as a record. */
export function toFeatureRecord(row: ArrayLike<number>, offset = 0): ContextFeatureRecord {
  const rec = {} as ContextFeatureRecord;
  CONTEXT_FEATURE_NAMES.forEach((n, k) => (rec[n] = row[offset + k]));
  return rec;
}

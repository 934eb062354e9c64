import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadNetwork } from '@saferoads/shared/network';
import { ConfigError } from '@saferoads/shared/errors';
import { sunPosition } from '../calendar/sun.js';
import { endOf, segmentFeature, testNetwork, type TestSegment } from '../testing/networks.js';
import { obs } from '../testing/weather.js';
import { weatherAt } from '../weather/interpolate.js';
import { InMemoryWeatherTable } from '../weather/table.js';
import { ContextFeatureAssembler, toFeatureRecord } from './assembler.js';
import { CONTEXT_FEATURES, CONTEXT_FEATURE_COUNT, CONTEXT_FEATURE_NAMES, FEATURE_INDEX } from './names.js';

const H = 3_600_000;
const hourSin = (h: number): number => Math.sin((2 * Math.PI * h) / 24);
const hourCos = (h: number): number => Math.cos((2 * Math.PI * h) / 24);

const E: TestSegment = { id: 'E', from: [11.39, 47.26], headingDeg: 90, lengthM: 1_000, direction: 'eastbound', region: '7' };
const W: TestSegment = { id: 'W', from: endOf(E), headingDeg: 270, lengthM: 1_000, direction: 'westbound', region: '7' };
const TUNNEL: TestSegment = { id: 'T', from: [11.39, 47.27], headingDeg: 90, lengthM: 1_000, direction: 'eastbound', region: '7', structure: 'tunnel' };
const BRIDGE: TestSegment = { id: 'BR', from: [11.39, 47.28], headingDeg: 90, lengthM: 1_000, direction: 'eastbound', region: '7', structure: 'bridge' };
const VIENNA: TestSegment = { id: 'VIE', from: [16.37, 48.21], headingDeg: 0, lengthM: 1_000, timezone: 'Europe/Vienna', country: 'AT', region: '9' };
const MUNICH: TestSegment = { id: 'MUC', from: [11.58, 48.14], headingDeg: 0, lengthM: 1_000, timezone: 'Europe/Berlin', country: 'DE', region: 'BY' };
const BERLIN: TestSegment = { id: 'BER', from: [13.4, 52.52], headingDeg: 0, lengthM: 1_000, timezone: 'Europe/Berlin', country: 'DE', region: 'BE' };
const net = testNetwork([E, W, TUNNEL, BRIDGE, VIENNA, MUNICH, BERLIN].map(segmentFeature));
const empty = new InMemoryWeatherTable();

describe('feature names', () => {
  it('are unique, each with a unit, description and source, and index their own column', () => {
    expect(new Set(CONTEXT_FEATURE_NAMES).size).toBe(CONTEXT_FEATURE_COUNT);
    expect(CONTEXT_FEATURE_COUNT).toBe(51);
    for (const f of CONTEXT_FEATURES) expect([f.unit, f.description, f.source].every((x) => x.length > 0)).toBe(true);
    CONTEXT_FEATURE_NAMES.forEach((n, i) => expect(FEATURE_INDEX[n]).toBe(i));
  });
});

describe('ContextFeatureAssembler: road shape columns', () => {
  it('carry the precomputed shape under their own names', () => {
    const a = new ContextFeatureAssembler(net);
    const s = a.shape('BR');
    const f = a.features('BR', Date.UTC(2026, 5, 1, 12), empty);
    expect(f).toMatchObject({
      lengthM: s.lengthM,
      curvatureDegPerKm: 0,
      minRadiusM: 10_000,
      gradePct: 0,
      gradeKnown: 0,
      lanes: 2,
      lanesChangeDownstream: 0,
      speedLimitKmh: 100,
      surfaceQuality: 0.7,
      urban: 0,
      tunnel: 0,
      bridge: 1,
      distOnRampM: 10_000,
      distOffRampM: 10_000,
      upstreamCount: 0,
      downstreamCount: 0,
    });
    expect(f.headingSin).toBeCloseTo(1, 9); // east
    expect(f.headingCos).toBeCloseTo(0, 9);
    expect(a.features('W', Date.UTC(2026, 5, 1, 12), empty).headingSin).toBeCloseTo(-1, 6);
  });
});

describe('ContextFeatureAssembler: calendar in the segment time zone', () => {
  const a = new ContextFeatureAssembler(net);

  it('23:30 UTC on 25 October is 00:30 on Monday 26 October in Vienna: the national day', () => {
    const f = a.features('VIE', Date.parse('2026-10-25T23:30:00Z'), empty);
    expect(f).toMatchObject({ holiday: 1, dayBeforeHoliday: 0, weekend: 0, dowSin: 0, dowCos: 1 });
    expect(f.hourSin).toBeCloseTo(hourSin(0.5), 12);
    expect(f.hourCos).toBeCloseTo(hourCos(0.5), 12);
  });

  it('an hour earlier it is still Sunday 25 October there: weekend, and the day before a holiday', () => {
    const f = a.features('VIE', Date.parse('2026-10-25T22:30:00Z'), empty);
    expect(f).toMatchObject({ holiday: 0, dayBeforeHoliday: 1, weekend: 1 });
    expect(f.dowSin).toBeCloseTo(Math.sin((2 * Math.PI * 6) / 7), 12);
    expect(f.hourSin).toBeCloseTo(hourSin(23.5), 12);
  });

  it.each([
    ['2026-10-03T10:00:00Z', { MUC: 1, BER: 1 }], // Tag der Deutschen Einheit, nationwide
    ['2026-10-02T10:00:00Z', { MUC: 0, BER: 0 }],
    ['2026-06-04T10:00:00Z', { MUC: 1, BER: 0 }], // Fronleichnam: Bavaria, not Berlin
    ['2026-03-08T10:00:00Z', { MUC: 0, BER: 1 }], // Frauentag: Berlin only
  ])('German public holidays by Land on %s', (iso, want) => {
    expect(a.features('MUC', Date.parse(iso), empty).holiday).toBe(want.MUC);
    expect(a.features('BER', Date.parse(iso), empty).holiday).toBe(want.BER);
  });

  it('the day before a Land holiday is flagged only where the holiday is', () => {
    const t = Date.parse('2026-06-03T20:00:00Z'); // 22:00 in Germany, the eve of Fronleichnam
    expect(a.features('MUC', t, empty).dayBeforeHoliday).toBe(1);
    expect(a.features('BER', t, empty).dayBeforeHoliday).toBe(0);
  });

  it('the weekend days are configurable (ISO: 5 Friday, 6 Saturday)', () => {
    const friSat = new ContextFeatureAssembler(net, { config: { weekendDays: [5, 6] } });
    const friday = Date.parse('2026-10-23T10:00:00Z');
    const sunday = Date.parse('2026-10-25T10:00:00Z');
    expect([friSat.features('VIE', friday, empty).weekend, friSat.features('VIE', sunday, empty).weekend]).toEqual([1, 0]);
    expect([a.features('VIE', friday, empty).weekend, a.features('VIE', sunday, empty).weekend]).toEqual([0, 1]);
  });

  it('caches per day and per hour give the same rows as a fresh assembler, in any order of minutes (property)', () => {
    const ids = ['E', 'VIE', 'MUC', 'BER'];
    const ask = fc.tuple(fc.constantFrom(...ids), fc.integer({ min: 0, max: 6 * 24 * 60 }).map((m) => Date.UTC(2026, 9, 22) + m * 60_000));
    const cached = new ContextFeatureAssembler(net);
    fc.assert(
      fc.property(fc.array(ask, { minLength: 1, maxLength: 20 }), (asks) => {
        const fresh = new ContextFeatureAssembler(net);
        for (const [id, t] of asks) expect(cached.features(id, t, empty)).toEqual(fresh.features(id, t, empty));
      }),
      { numRuns: 25 },
    );
  });
});

describe('ContextFeatureAssembler: sun', () => {
  const a = new ContextFeatureAssembler(net);
  // Equinox at Innsbruck: sunrise 05:19 UTC due east; half an hour later the sun is 4.3° up at 95°.
  const morning = Date.parse('2026-03-20T05:49:00Z');

  it('an east-bound segment half an hour after sunrise has glare; its west-bound twin does not', () => {
    expect(a.features('E', morning, empty)).toMatchObject({ sunGlare: 1, dark: 0, twilight: 0 });
    expect(a.features('W', morning, empty)).toMatchObject({ sunGlare: 0, dark: 0, twilight: 0 });
    expect(a.features('E', morning, empty).sunAltitudeDeg).toBeCloseTo(4.26, 2);
  });

  it('in the evening the west-bound one is dazzled', () => {
    const evening = Date.parse('2026-03-20T16:57:00Z'); // half an hour before sunset, at 266°
    expect(a.features('W', evening, empty).sunGlare).toBe(1);
    expect(a.features('E', evening, empty).sunGlare).toBe(0);
  });

  it('no glare in a tunnel, nor with the sun high at noon', () => {
    expect(a.features('T', morning, empty).sunGlare).toBe(0);
    expect(a.features('E', Date.parse('2026-03-20T11:23:00Z'), empty).sunGlare).toBe(0);
  });

  it('midnight is dark; before sunrise is twilight', () => {
    expect(a.features('E', Date.parse('2026-03-20T23:00:00Z'), empty)).toMatchObject({ dark: 1, twilight: 0, sunGlare: 0 });
    const dawn = Date.parse('2026-03-20T05:00:00Z');
    const alt = sunPosition(dawn, a.shape('E').midpoint.lat, a.shape('E').midpoint.lon).altitudeDeg;
    expect(alt).toBeGreaterThan(-6);
    expect(alt).toBeLessThan(-0.833);
    expect(a.features('E', dawn, empty)).toMatchObject({ dark: 0, twilight: 1, sunAltitudeDeg: alt });
  });

  it('glare thresholds are configurable', () => {
    const narrow = new ContextFeatureAssembler(net, { config: { glareMaxAngleDeg: 3 } });
    expect(narrow.features('E', morning, empty).sunGlare).toBe(0); // the sun is 5° off the road
  });
});

describe('ContextFeatureAssembler: weather', () => {
  const t = Date.UTC(2026, 0, 15, 6, 0);
  const mid = (id: string) => new ContextFeatureAssembler(net).shape(id).midpoint;

  it('no station: weatherMissing with the documented defaults, and no freezing risk', () => {
    const f = new ContextFeatureAssembler(net).features('E', t, empty);
    expect(f).toMatchObject({
      weatherMissing: 1,
      weatherStations: 0,
      weatherStaleStations: 0,
      weatherNearestM: 30_000,
      weatherAgeMin: 60,
      precipitationMmH: 0,
      precipRain: 0,
      precipSnow: 0,
      visibilityM: 10_000,
      windSpeedMs: 0,
      windGustMs: 0,
      airTemperatureC: 10,
      roadSurfaceTemperatureC: 10,
      roadSurfaceTemperatureKnown: 0,
      roadSurfaceStateKnown: 0,
      freezingRisk: 0,
    });
  });

  it('columns are the interpolation at the segment midpoint, one-hot where categorical', () => {
    const m = mid('E');
    const table = new InMemoryWeatherTable();
    table.upsert(obs('A', { lat: m.lat + 0.01, lon: m.lon, ts: t - 5 * 60_000, precipitationMmH: 0.8, precipitationType: 'sleet', airTemperatureC: 0.5, windGustMs: 12, roadSurfaceTemperatureC: 0.2, roadSurfaceState: 'wet' }));
    table.upsert(obs('B', { lat: m.lat - 0.02, lon: m.lon, ts: t - 15 * 60_000 }));
    table.upsert(obs('OLD', { lat: m.lat, lon: m.lon + 0.01, ts: t - 3 * H }));
    const a = new ContextFeatureAssembler(net);
    const f = a.features('E', t, table);
    const w = weatherAt(table, m.lat, m.lon, t, a.config, m.elevationM);
    expect(f).toMatchObject({
      weatherMissing: 0,
      weatherStations: 2,
      weatherStaleStations: 1,
      weatherNearestM: w.nearestM,
      weatherAgeMin: w.ageMin,
      precipitationMmH: w.precipitationMmH,
      precipRain: 0,
      precipSnow: 0,
      precipSleet: 1,
      precipHail: 0,
      visibilityM: w.visibilityM,
      windSpeedMs: w.windSpeedMs,
      windGustMs: 12,
      airTemperatureC: w.airTemperatureC,
      roadSurfaceTemperatureC: 0.2,
      roadSurfaceTemperatureKnown: 1,
      roadSurfaceStateKnown: 1,
      roadMoist: 0,
      roadWet: 1,
      roadIce: 0,
      roadSnow: 0,
      freezingRisk: 1,
    });
    expect(w.stations).toBe(2);
  });

  it('bridges freeze first; tunnels not at all', () => {
    const table = new InMemoryWeatherTable();
    const m = mid('BR');
    // Wet at 1.5 °C surface: above the 1 °C threshold, within the bridge margin.
    table.upsert(obs('S', { lat: m.lat, lon: m.lon + 0.005, ts: t, roadSurfaceTemperatureC: 1.5, roadSurfaceState: 'wet' }));
    const a = new ContextFeatureAssembler(net);
    expect([a.features('BR', t, table).freezingRisk, a.features('E', t, table).freezingRisk, a.features('T', t, table).freezingRisk]).toEqual([1, 0, 0]);
  });

  it('keeps up with the table: new readings, new stations, and readings going stale as minutes pass', () => {
    const table = new InMemoryWeatherTable();
    const a = new ContextFeatureAssembler(net);
    const m = mid('E');
    expect(a.features('E', t, table).weatherMissing).toBe(1);
    table.upsert(obs('S', { lat: m.lat + 0.01, lon: m.lon, ts: t, airTemperatureC: -2 }));
    expect(a.features('E', t, table)).toMatchObject({ weatherMissing: 0, airTemperatureC: -2 });
    table.upsert(obs('S', { lat: m.lat + 0.01, lon: m.lon, ts: t + 60_000, airTemperatureC: -3 }));
    expect(a.features('E', t + 60_000, table)).toMatchObject({ airTemperatureC: -3, weatherAgeMin: 0 });
    expect(a.features('E', t + 60_000 + H + 60_000, table)).toMatchObject({ weatherMissing: 1, weatherStaleStations: 1 });
  });
});

describe('ContextFeatureAssembler: rows', () => {
  it('writeAll fills one row per segment, the same as features(); write honours an offset into a Float32Array', () => {
    const a = new ContextFeatureAssembler(net);
    const t = Date.parse('2026-03-20T05:49:00Z');
    const rows = new Float64Array(net.segments.length * CONTEXT_FEATURE_COUNT);
    a.writeAll(t, empty, rows);
    net.segments.forEach((s, i) => expect(toFeatureRecord(rows, i * CONTEXT_FEATURE_COUNT)).toEqual(a.features(s.id, t, empty)));
    const f32 = new Float32Array(CONTEXT_FEATURE_COUNT + 3);
    a.write(a.shape('E'), t, empty, f32, 3);
    expect(f32[3 + FEATURE_INDEX.sunGlare]).toBe(1);
    expect(f32[3 + FEATURE_INDEX.lengthM]).toBe(Math.fround(a.shape('E').lengthM));
  });

  it('refuses an unknown segment or a minute that is not a finite number', () => {
    const a = new ContextFeatureAssembler(net);
    expect(() => a.features('NOPE', 0, empty)).toThrow('unknown segment "NOPE"');
    expect(() => a.write(99, 0, empty, new Float64Array(CONTEXT_FEATURE_COUNT))).toThrow('no segment at index 99');
    expect(() => a.write(0, NaN, empty, new Float64Array(CONTEXT_FEATURE_COUNT))).toThrow('minuteMs must be a finite epoch ms, got NaN');
  });

  it('every feature of every bundled segment is finite, all day, with and without weather', () => {
    const network = loadNetwork();
    const a = new ContextFeatureAssembler(network);
    const table = new InMemoryWeatherTable();
    table.upsert(obs('INNSBRUCK', { lat: 47.26, lon: 11.4, elevationM: 580, ts: Date.UTC(2026, 0, 6, 11), roadSurfaceState: 'snow' }));
    const rows = new Float64Array(network.segments.length * CONTEXT_FEATURE_COUNT);
    for (const tbl of [empty, table]) {
      for (let h = 0; h < 24; h++) {
        a.writeAll(Date.UTC(2026, 0, 6, h), tbl, rows);
        expect(rows.every(Number.isFinite)).toBe(true);
      }
    }
    // 6 January is Heilige Drei Könige in Austria; snow on the road by the Innsbruck station.
    const f = a.features('A13-S-001', Date.UTC(2026, 0, 6, 11), table);
    expect([f.holiday, f.weatherMissing, f.roadSnow, f.freezingRisk]).toEqual([1, 0, 1, 1]);
    expect(a.features('A13-S-003', Date.UTC(2026, 0, 6, 11), table).freezingRisk).toBe(0); // Bergisel tunnel
  });
});

describe('configuration', () => {
  it('is validated once when the assembler is built, naming every bad field', () => {
    expect(() => new ContextFeatureAssembler(net, { config: { radiusM: -1, idwPower: 11 } })).toThrow(ConfigError);
    expect(() => new ContextFeatureAssembler(net, { config: { radiusM: -1, idwPower: 11 } })).toThrow(
      'invalid context configuration: idwPower: must be <= 10; radiusM: must be > 0',
    );
    expect(() => new ContextFeatureAssembler(net, { config: { darkAltitudeDeg: 0 } })).toThrow('darkAltitudeDeg: must be <= daylightAltitudeDeg (-0.833), got 0');
  });

  it('a network whose holiday region date-holidays does not know fails fast, naming the segments', () => {
    const bad = testNetwork(['X1', 'X2', 'X3', 'X4'].map((id, k) => segmentFeature({ id, from: [11.4, 47 + k * 0.1], headingDeg: 0, lengthM: 500, region: '99' })));
    expect(() => new ContextFeatureAssembler(bad)).toThrow(
      'invalid context (network holidays) configuration: segments X1, X2, X3 and 1 more: date-holidays knows no region "99" of AT (known: 1, 2, 3, 4, 5, 6, 7, 8, 9)',
    );
  });
});

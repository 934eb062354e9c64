import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WeatherObservation } from '@saferoads/shared/contracts';
import { DEFAULT_CONTEXT_CONFIG } from '../config.js';
import { T0, at, obs } from '../testing/weather.js';
import { emptyPointWeather, interpolateWeather, weatherAt, type PointWeather } from './interpolate.js';
import { PointStations } from './point-stations.js';
import { InMemoryWeatherTable } from './table.js';

const CFG = DEFAULT_CONTEXT_CONFIG;
const MIN = 60_000;
const P = { lat: 47.2, lon: 11.4 };

// A: 1 km north of the point, B: 2 km east. With power 2 their weights are 1/1e6 and 1/4e6: 0.8 and 0.2.
const A = obs('A', {
  ...at(1_000, 0),
  ts: T0 - 10 * MIN,
  airTemperatureC: 0,
  precipitationMmH: 2,
  precipitationType: 'rain',
  visibilityM: 1_000,
  windSpeedMs: 4,
  windGustMs: 10,
  roadSurfaceTemperatureC: -1,
  roadSurfaceState: 'wet',
});
const B = obs('B', { ...at(2_000, 90), ts: T0 - 20 * MIN, airTemperatureC: 5, visibilityM: 6_000, windSpeedMs: 9 });

function table(...readings: WeatherObservation[]): InMemoryWeatherTable {
  const t = new InMemoryWeatherTable();
  for (const r of readings) t.upsert(r);
  return t;
}

const HAND: Partial<PointWeather> = {
  stations: 2,
  staleStations: 0,
  precipitationType: 'rain',
  windGustMs: 10, // only A reports gusts
  roadSurfaceTemperatureC: -1, // only A reports the surface
  roadSurfaceState: 'wet',
};

function expectHandValues(w: PointWeather, digits: number, staleStations = 0): void {
  expect(w).toMatchObject({ ...HAND, staleStations });
  expect(w.nearestM).toBeCloseTo(1_000, digits - 6);
  expect(w.airTemperatureC).toBeCloseTo(1.0, digits); // 0.8 * 0 + 0.2 * 5
  expect(w.precipitationMmH).toBeCloseTo(1.6, digits); // 0.8 * 2
  expect(w.visibilityM).toBeCloseTo(2_000, digits - 4); // 0.8 * 1000 + 0.2 * 6000
  expect(w.windSpeedMs).toBeCloseTo(5.0, digits); // 0.8 * 4 + 0.2 * 9
  expect(w.ageMin).toBeCloseTo(12, digits); // 0.8 * 10 + 0.2 * 20
}

describe('interpolateWeather (inverse-distance weighting)', () => {
  it('weights 1/d^2 against hand-computed values, from given distances', () => {
    const w = interpolateWeather(table(A, B), [0, 1], [1_000, 2_000], 2, T0, NaN, CFG, emptyPointWeather());
    expectHandValues(w, 12);
  });

  it('the same from positions: weatherAt measures geodesic distances with turf', () => {
    expectHandValues(weatherAt(table(A, B), P.lat, P.lon, T0, CFG), 9);
  });

  it('the power is configurable: with 1, weights 1/1000 and 1/2000 give 2/3 and 1/3', () => {
    const w = weatherAt(table(A, B), P.lat, P.lon, T0, { ...CFG, idwPower: 1 });
    expect(w.airTemperatureC).toBeCloseTo(5 / 3, 9);
    expect(w.visibilityM).toBeCloseTo(1_000 * (2 / 3) + 6_000 * (1 / 3), 6);
  });

  it('a stale station is flagged, counted and excluded, however near; exactly maxAgeMs old is still fresh', () => {
    const staleNear = obs('C', { ...at(500, 180), ts: T0 - 60 * MIN - 1, airTemperatureC: -20 });
    const w = weatherAt(table(A, B, staleNear), P.lat, P.lon, T0, CFG);
    expectHandValues(w, 9, 1);

    const justFresh = obs('C', { ...at(500, 180), ts: T0 - 60 * MIN, airTemperatureC: -20 });
    const v = weatherAt(table(A, B, justFresh), P.lat, P.lon, T0, CFG);
    expect([v.stations, v.staleStations, v.nearestM]).toEqual([3, 0, expect.closeTo(500, 6)]);
  });

  it('only stale stations in range: no weather (stations 0, the defaults) and the stale count', () => {
    const w = weatherAt(table(obs('C', { ...at(500), ts: T0 - 2 * 60 * MIN })), P.lat, P.lon, T0, CFG);
    expect(w).toEqual({
      ...emptyPointWeather(),
      staleStations: 1,
      visibilityM: CFG.missingVisibilityM,
      airTemperatureC: CFG.missingAirTemperatureC,
    });
  });

  it('the radius is respected: 29,999 m is in, 30,001 m is neither used nor counted', () => {
    const inside = obs('IN', { ...at(29_999, 45), airTemperatureC: 3 });
    const outside = obs('OUT', { ...at(30_001, 225), airTemperatureC: -9 });
    const w = weatherAt(table(inside, outside), P.lat, P.lon, T0, CFG);
    expect([w.stations, w.staleStations, w.airTemperatureC]).toEqual([1, 0, 3]);
    const none = weatherAt(table(outside), P.lat, P.lon, T0, CFG);
    expect([none.stations, none.staleStations]).toEqual([0, 0]);
  });

  it('a station on the point (within coincidentM) gives the result alone; two such are plainly averaged', () => {
    const on = obs('ON', { ...P, airTemperatureC: -3, precipitationType: 'snow', precipitationMmH: 1 });
    const w = weatherAt(table(A, B, on), P.lat, P.lon, T0, CFG);
    expect([w.stations, w.nearestM, w.airTemperatureC, w.precipitationType, w.precipitationMmH]).toEqual([1, 0, -3, 'snow', 1]);
    const near = obs('NEAR', { ...at(0.5, 90), airTemperatureC: -1, precipitationMmH: 3 });
    const two = weatherAt(table(A, B, on, near), P.lat, P.lon, T0, CFG);
    expect([two.stations, two.airTemperatureC, two.precipitationMmH]).toEqual([2, -2, 2]);
  });

  it('at most maxStations, the nearest fresh ones', () => {
    const five = [1, 2, 3, 4, 5].map((km) => obs(`S${km}`, { ...at(km * 1_000, km * 70), airTemperatureC: km }));
    const w = weatherAt(table(...five), P.lat, P.lon, T0, { ...CFG, maxStations: 2 });
    expect(w.stations).toBe(2);
    expect(w.airTemperatureC).toBeCloseTo((1 * 1 + 2 * 0.25) / 1.25, 9);
  });

  it('categories by weighted majority; a tie goes to the more hazardous', () => {
    const rain = obs('R', { ...at(1_000, 0), precipitationType: 'rain', roadSurfaceState: 'wet' });
    const snow = obs('S', { ...at(1_000, 180), precipitationType: 'snow', roadSurfaceState: 'ice' });
    const tie = interpolateWeather(table(rain, snow), [0, 1], [1_000, 1_000], 2, T0, NaN, CFG, emptyPointWeather());
    expect([tie.precipitationType, tie.roadSurfaceState]).toEqual(['snow', 'ice']);
    const nearerRain = interpolateWeather(table(rain, snow), [0, 1], [1_000, 1_001], 2, T0, NaN, CFG, emptyPointWeather());
    expect([nearerRain.precipitationType, nearerRain.roadSurfaceState]).toEqual(['rain', 'wet']);
  });

  it('air temperature follows the lapse rate to the point elevation when both elevations are known', () => {
    const valley = obs('V', { ...at(1_000), elevationM: 600, airTemperatureC: 10 });
    expect(weatherAt(table(valley), P.lat, P.lon, T0, CFG, 1_100).airTemperatureC).toBeCloseTo(10 - 6.5 * 0.5, 12);
    expect(weatherAt(table(valley), P.lat, P.lon, T0, CFG).airTemperatureC).toBe(10); // point elevation unknown
    expect(weatherAt(table(obs('X', at(1_000))), P.lat, P.lon, T0, CFG, 1_100).airTemperatureC).toBe(5); // station elevation unknown
    expect(weatherAt(table(valley), P.lat, P.lon, T0, { ...CFG, lapseRateCPerKm: 0 }, 1_100).airTemperatureC).toBe(10);
  });

  it('a reading from after the scored minute is used, with age 0', () => {
    const w = weatherAt(table(obs('F', { ...at(1_000), ts: T0 + 5 * MIN })), P.lat, P.lon, T0, CFG);
    expect([w.stations, w.ageMin]).toEqual([1, 0]);
  });
});

describe('PointStations', () => {
  const lats = [47.2, 47.25, 47.0];
  const lons = [11.4, 11.45, 11.5];
  const op = fc.oneof(
    fc.record({
      kind: fc.constant('reading' as const),
      id: fc.integer({ min: 0, max: 11 }),
      lat: fc.double({ min: 46.7, max: 47.5, noNaN: true }),
      lon: fc.double({ min: 11.0, max: 11.9, noNaN: true }),
      ageMin: fc.integer({ min: -5, max: 120 }),
      temp: fc.integer({ min: -20, max: 30 }),
    }),
    fc.record({ kind: fc.constant('score' as const) }),
  );

  it('gives the same weather as a full scan, through additions, moves and updates (property)', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
        const t = new InMemoryWeatherTable();
        const near = new PointStations(lats, lons, CFG.radiusM);
        let now = T0;
        for (const o of ops) {
          if (o.kind === 'reading') {
            now += MIN;
            t.upsert(obs(`W${o.id}`, { lat: o.lat, lon: o.lon, ts: now - o.ageMin * MIN, airTemperatureC: o.temp }));
            continue;
          }
          near.sync(t);
          for (let p = 0; p < lats.length; p++) {
            const fast = interpolateWeather(t, near.slotsOf(p), near.distancesOf(p), near.slotsOf(p).length, now, NaN, CFG, emptyPointWeather());
            expect(fast).toEqual(weatherAt(t, lats[p], lons[p], now, CFG));
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('starts over when handed another table', () => {
    const near = new PointStations([47.2], [11.4], CFG.radiusM);
    near.sync(table(A, B));
    expect(near.slotsOf(0)).toEqual([0, 1]);
    near.sync(table(B));
    expect(near.slotsOf(0)).toEqual([0]);
    expect(near.distancesOf(0)[0]).toBeCloseTo(2_000, 6);
  });
});

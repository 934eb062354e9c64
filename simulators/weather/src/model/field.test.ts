import fc from 'fast-check';
import type { Network } from '@saferoads/shared/network';
import { loadNetwork } from '@saferoads/shared/network';
import { describe, expect, it } from 'vitest';
import { conditionsAt, precipitationTypeAt, precipitationVisibilityM } from './field.js';
import { buildScenario, type Front, type Scenario } from './scenario.js';
import { streamOf } from './noise.js';

const START = Date.parse('2026-03-10T06:00:00Z');
let a13: Network | undefined;
const network = () => (a13 ??= loadNetwork());

/** A scenario with exactly the weather given, on the bundled network's projection. */
function only(parts: Partial<Pick<Scenario, 'fronts' | 'fog' | 'gusts' | 'temperatureOffsetC' | 'baseWindMs'>>): Scenario {
  const base = buildScenario(network(), { seed: 1, startMs: START, fromMs: START, untilMs: START });
  return { ...base, fronts: [], fog: [], gusts: [], ...parts };
}

const FRONT: Front = { passMs: START, headingRad: 0, speedKmh: 40, halfWidthKm: 12, peakMmH: 6, coolingC: 3, windMs: 4, cellStream: streamOf(1, 'cells') };

describe('precipitation type and visibility', () => {
  it.each([
    [-5, 2, 'snow'],
    [0.5, 2, 'snow'],
    [1.5, 2, 'sleet'],
    [2.1, 2, 'rain'],
    [18, 12, 'hail'],
    [18, 8, 'rain'],
    [-5, 0.04, 'none'],
  ] as const)('%f °C at %f mm/h is %s', (temp, rate, type) => {
    expect(precipitationTypeAt(temp, rate)).toBe(type);
  });

  it('puts snow into the handbook\'s classes: over 800 m when light, 400 m or less when heavy', () => {
    expect(precipitationVisibilityM('snow', 0.25)).toBeGreaterThan(800);
    expect(precipitationVisibilityM('snow', 2.5)).toBeLessThanOrEqual(400);
    expect(precipitationVisibilityM('rain', 1)).toBeCloseTo(10_000, 6);
    expect(precipitationVisibilityM('none', 0)).toBe(Infinity);
  });
});

describe('conditionsAt', () => {
  it('moves a front\'s band at the front\'s speed: d km further along, the same rain d / v later', () => {
    // Warm (+30 °C offset) so the rain is not thinned by cold air; heading north so both places share a longitude.
    const s = only({ fronts: [FRONT], temperatureOffsetC: 30 });
    fc.assert(
      fc.property(fc.double({ min: -20, max: 20, noNaN: true }), fc.double({ min: 1, max: 30, noNaN: true }), fc.integer({ min: -90, max: 90 }), (y, d, minutes) => {
        const here = { lat: s.projection.lat0 + y / 110.574, lon: s.projection.lon0 };
        const further = { lat: s.projection.lat0 + (y + d) / 110.574, lon: s.projection.lon0 };
        const t = START + minutes * 60_000;
        const later = t + (d / FRONT.speedKmh) * 3_600_000;
        expect(conditionsAt(s, further, later).precipitationMmH).toBeCloseTo(conditionsAt(s, here, t).precipitationMmH, 6);
      }),
    );
  });

  it('rains on the front\'s axis and is dry far ahead of it; it is colder behind it', () => {
    const s = only({ fronts: [FRONT], temperatureOffsetC: 10 });
    const centre = { lat: s.projection.lat0, lon: s.projection.lon0 };
    const onAxis = conditionsAt(s, centre, START);
    const farAhead = conditionsAt(s, centre, START - 3 * 3_600_000);
    const wellBehind = conditionsAt(s, centre, START + 2 * 3_600_000);
    expect(onAxis.precipitationMmH).toBeGreaterThan(2);
    expect(onAxis.precipitationType).toBe('rain');
    expect(farAhead.precipitationMmH).toBe(0);
    expect(wellBehind.precipitationMmH).toBe(0);
    const noFront = only({ temperatureOffsetC: 10 });
    expect(conditionsAt(noFront, centre, START + 2 * 3_600_000).airTemperatureC - wellBehind.airTemperatureC).toBeGreaterThan(2);
  });

  it('snows where it is cold: the same band over a cold spell', () => {
    const s = only({ fronts: [FRONT], temperatureOffsetC: -15 });
    const c = conditionsAt(s, { lat: s.projection.lat0, lon: s.projection.lon0 }, START);
    expect(c.precipitationType).toBe('snow');
    expect(c.visibilityM).toBeLessThan(2_000);
  });

  it('lays fog on its patch in the early morning, thin at two radii, gone by the afternoon', () => {
    const patch = { at: { x: 0, y: 0 }, radiusKm: 2, minVisibilityM: 120, formsH: 2, clearsH: 10, likelihood: 1 };
    // Calm air (1 m/s) keeps the patch whole: wind above 3 m/s would thin it.
    const s = only({ fog: [patch], baseWindMs: 1 });
    const centre = { lat: s.projection.lat0, lon: s.projection.lon0 };
    const solar7 = Date.parse('2026-03-10T07:00:00Z') - (s.projection.lon0 / 15) * 3_600_000;
    const dense = conditionsAt(s, centre, solar7);
    expect(dense.windSpeedMs).toBeLessThan(3);
    expect(dense.visibilityM).toBeCloseTo(120, 6);
    const away = conditionsAt(s, { lat: centre.lat + 4 / 110.574, lon: centre.lon }, solar7);
    expect(away.visibilityM).toBeGreaterThan(5 * dense.visibilityM);
    expect(conditionsAt(s, centre, solar7 + 7 * 3_600_000).visibilityM).toBeGreaterThan(10_000);
  });

  it('gusts above the mean wind always, and hard in a gust spell', () => {
    const spell = { fromMs: START, toMs: START + 3_600_000, extraWindMs: 8 };
    const s = only({ gusts: [spell] });
    const centre = { lat: s.projection.lat0, lon: s.projection.lon0 };
    const calm = conditionsAt(only({}), centre, START + 1_800_000);
    const windy = conditionsAt(s, centre, START + 1_800_000);
    expect(windy.windSpeedMs - calm.windSpeedMs).toBeCloseTo(8, 6);
    expect(windy.windGustMs / windy.windSpeedMs).toBeGreaterThan(1.7);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 48 * 60 }), (m) => {
        const c = conditionsAt(buildScenario(network(), { seed: 3, startMs: START, fromMs: START, untilMs: START + 2 * 86_400_000 }), centre, START + m * 60_000);
        expect(c.windGustMs).toBeGreaterThanOrEqual(c.windSpeedMs + 0.5);
      }),
      { numRuns: 200 },
    );
  });
});

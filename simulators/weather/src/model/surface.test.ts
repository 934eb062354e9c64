import { describe, expect, it } from 'vitest';
import type { Conditions } from './field.js';
import { stepSurface, surfaceState, type SurfaceState } from './surface.js';

/** Midnight solar time at 0° E: no sun, so the road only follows the air and the sky. */
const NIGHT = Date.parse('2026-03-10T00:00:00Z');

const weather = (o: Partial<Conditions>): Conditions => ({
  precipitationMmH: 0,
  precipitationType: 'none',
  visibilityM: 20_000,
  windSpeedMs: 2,
  windGustMs: 4,
  airTemperatureC: 5,
  cloud: 1,
  ...o,
});

/** `minutes` of the same weather from `start`. */
function run(start: SurfaceState, c: Conditions, minutes: number): SurfaceState[] {
  const out: SurfaceState[] = [];
  let s = start;
  for (let m = 0; m < minutes; m++) out.push((s = stepSurface(s, c, NIGHT + m * 60_000, 0)));
  return out;
}

const dryAt = (temperatureC: number): SurfaceState => ({ temperatureC, waterMm: 0, snowMm: 0, iceMm: 0, state: 'dry' });

describe('surfaceState', () => {
  it.each([
    [0, 0, 0, 'dry'],
    [0.02, 0, 0, 'moist'],
    [0.2, 0, 0, 'wet'],
    [1, 0, 0.05, 'ice'],
    [1, 0.2, 1, 'snow'],
    [0.19, 0.19, 0.049, 'moist'],
  ] as const)('water %f, snow %f, ice %f mm is %s', (w, s, i, state) => {
    expect(surfaceState(w, s, i)).toBe(state);
  });
});

describe('stepSurface', () => {
  it('wets a warm road in rain, and dries it through moist after the rain', () => {
    const wet = run(dryAt(5), weather({ precipitationMmH: 2, precipitationType: 'rain' }), 30);
    expect(wet[29].state).toBe('wet');
    expect(wet[29].waterMm).toBeCloseTo(1, 1);
    const drying = run(wet[29], weather({}), 24 * 60).map((s) => s.state);
    expect(drying.indexOf('moist')).toBeGreaterThan(0);
    expect(drying.indexOf('dry')).toBeGreaterThan(drying.indexOf('moist'));
  });

  it('glazes a road below freezing in rain (freezing rain), and freezes a wet road as it cools', () => {
    expect(run(dryAt(-3), weather({ airTemperatureC: -3, precipitationMmH: 1, precipitationType: 'rain' }), 10)[9].state).toBe('ice');
    const wet: SurfaceState = { temperatureC: 1, waterMm: 0.5, snowMm: 0, iceMm: 0, state: 'wet' };
    const night = run(wet, weather({ airTemperatureC: -4, cloud: 0 }), 120);
    expect(night[119].state).toBe('ice');
    expect(night[119].temperatureC).toBeLessThan(-4);
  });

  it('lets snow settle on a cold road and melt on a warm one; winter service clears it within hours', () => {
    const snowing = weather({ airTemperatureC: -2, precipitationMmH: 1.5, precipitationType: 'snow' });
    const covered = run(dryAt(-2), snowing, 20)[19];
    expect(covered.state).toBe('snow');
    expect(run(dryAt(6), weather({ airTemperatureC: 6, precipitationMmH: 1.5, precipitationType: 'snow' }), 20)[19].state).toBe('wet');
    expect(run(covered, weather({ airTemperatureC: -2 }), 6 * 60)[6 * 60 - 1].snowMm).toBeLessThan(0.2);
  });
});

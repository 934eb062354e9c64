import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interpolate, weatherEffect } from './effects.js';
import type { Conditions } from './field.js';
import type { SurfaceState } from './surface.js';

const clear: Conditions = { precipitationMmH: 0, precipitationType: 'none', visibilityM: 30_000, windSpeedMs: 2, windGustMs: 4, airTemperatureC: 15, cloud: 0.3 };
const dry: SurfaceState = { temperatureC: 15, waterMm: 0, snowMm: 0, iceMm: 0, state: 'dry' };
const road = (state: SurfaceState['state']): SurfaceState => ({ ...dry, state });

describe('weatherEffect', () => {
  it.each([
    ['clear and dry', clear, dry, 1, 1],
    ['light rain (HCM class <= 0.10 in/h)', { ...clear, precipitationMmH: 1.27, precipitationType: 'rain' as const, visibilityM: 10_000 }, road('wet'), 0.975 * 0.99, 0.9799],
    ['heavy rain (> 0.25 in/h)', { ...clear, precipitationMmH: 20, precipitationType: 'rain' as const, visibilityM: 2_000 }, road('wet'), 0.94 * 0.99, 0.8587],
    ['heavy snow on a snow-covered road at -3 °C', { ...clear, precipitationMmH: 2.54, precipitationType: 'snow' as const, visibilityM: 350, airTemperatureC: -3 }, road('snow'), 0.87 * 0.85, 0.7757 * 0.85 * 0.985],
    ['dense fog', { ...clear, visibilityM: 100, airTemperatureC: 5 }, road('moist'), 0.89, 0.88 * 0.9893],
    ['black ice', { ...clear, airTemperatureC: -25 }, road('ice'), 0.8, 0.85 * 0.9155],
  ])('%s', (_what, c, s, speed, capacity) => {
    const e = weatherEffect(c, s);
    expect(e.speed).toBeCloseTo(speed, 10);
    expect(e.capacity).toBeCloseTo(capacity, 10);
  });

  it('never rises with heavier precipitation or poorer visibility', () => {
    const type = fc.constantFrom('rain' as const, 'snow' as const, 'sleet' as const);
    fc.assert(
      fc.property(type, fc.double({ min: 0, max: 50, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }), fc.double({ min: 10, max: 50_000, noNaN: true }), (t, a, b, vis) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        const light = weatherEffect({ ...clear, precipitationType: t, precipitationMmH: lo, visibilityM: vis }, dry);
        const heavy = weatherEffect({ ...clear, precipitationType: t, precipitationMmH: hi, visibilityM: vis / 2 }, dry);
        expect(heavy.speed).toBeLessThanOrEqual(light.speed);
        expect(heavy.capacity).toBeLessThanOrEqual(light.capacity);
        expect(heavy.speed).toBeGreaterThan(0.5);
        expect(heavy.capacity).toBeGreaterThan(0.5);
      }),
    );
  });
});

describe('interpolate', () => {
  it('is linear between points and flat beyond them', () => {
    const pts = [
      [0, 1],
      [2, 0.8],
      [4, 0.8],
    ] as const;
    expect([-1, 0, 1, 2, 3, 9].map((x) => interpolate(pts, x))).toEqual([1, 1, 0.9, 0.8, 0.8, 0.8]);
  });
});

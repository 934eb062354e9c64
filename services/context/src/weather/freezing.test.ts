import { describe, expect, it } from 'vitest';
import { freezingRisk } from './freezing.js';
import { emptyPointWeather, type PointWeather } from './interpolate.js';

const RULE = { freezingThresholdC: 1, bridgeFreezingMarginC: 1 };
const w = (over: Partial<PointWeather>): PointWeather => ({ ...emptyPointWeather(), stations: 1, airTemperatureC: 5, ...over });

describe('freezingRisk', () => {
  it.each<[string, Partial<PointWeather>, 'tunnel' | 'bridge' | undefined, 0 | 1]>([
    ['ice on the road, even when warm', { roadSurfaceState: 'ice', airTemperatureC: 6 }, undefined, 1],
    ['snow on the road', { roadSurfaceState: 'snow' }, undefined, 1],
    ['wet road at 1 °C surface', { roadSurfaceState: 'wet', roadSurfaceTemperatureC: 1 }, undefined, 1],
    ['wet road at 1.1 °C surface', { roadSurfaceState: 'wet', roadSurfaceTemperatureC: 1.1 }, undefined, 0],
    ['moist road, surface warm although the air is at -3 °C', { roadSurfaceState: 'moist', roadSurfaceTemperatureC: 4, airTemperatureC: -3 }, undefined, 0],
    ['rain with air at 0 °C and no surface sensor', { precipitationMmH: 0.5, precipitationType: 'rain', airTemperatureC: 0 }, undefined, 1],
    ['a trace of snow reported at 0 mm/h', { precipitationType: 'snow', airTemperatureC: -4 }, undefined, 1],
    ['dry and cold: no moisture', { roadSurfaceState: 'dry', airTemperatureC: -10, roadSurfaceTemperatureC: -8 }, undefined, 0],
    ['wet at 1.5 °C: only a bridge freezes', { roadSurfaceState: 'wet', roadSurfaceTemperatureC: 1.5 }, 'bridge', 1],
    ['wet at 2.1 °C on a bridge', { roadSurfaceState: 'wet', roadSurfaceTemperatureC: 2.1 }, 'bridge', 0],
    ['ice reported outside a tunnel', { roadSurfaceState: 'ice', roadSurfaceTemperatureC: -5 }, 'tunnel', 0],
    ['no station in range', { stations: 0, roadSurfaceState: 'ice' }, undefined, 0],
  ])('%s: %d', (_, over, structure, want) => {
    expect(freezingRisk(w(over), structure, RULE)).toBe(want);
  });
});

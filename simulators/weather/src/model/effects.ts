import type { WeatherFactors } from '@saferoads/loop-sensor';
import type { Conditions } from './field.js';
import type { SurfaceState } from './surface.js';

/** Piecewise-linear through (x, y) points sorted by x, constant beyond the ends. */
export function interpolate(points: readonly (readonly [number, number])[], x: number): number {
  if (x <= points[0][0]) return points[0][1];
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i];
    if (x <= x1) {
      const [x0, y0] = points[i - 1];
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return points[points.length - 1][1];
}

/*
 * Capacity: HCM 2010 exhibit 10-15 (freeway capacity reductions for weather, as FHWA-HOP-13-042
 * appendix A reproduces it), average reduction of each intensity class placed at the class's
 * middle. Rain classes by rate: <= 0.10 in/h (2.54 mm/h) 2.01 %, 0.10-0.25 in/h 7.24 %,
 * > 0.25 in/h (6.35 mm/h) 14.13 %. Snow classes are snowfall depth rates (<= 0.05, 0.05-0.10,
 * 0.10-0.50, > 0.50 in/h: 4.29, 8.66, 11.04, 22.43 %), here converted to water equivalent at the
 * usual 10:1 snow-to-liquid ratio (0.5 in/h of snow ~ 1.27 mm/h of water).
 *
 * Free-flow speed: light rain -2.5 % (FHWA's empirical study FHWA-HOP-07-073 and SHRP 2-L08 put
 * light rain at a few per cent), heavy rain (> 0.25 in/h) -6 % (Agarwal, Maze & Souleyrette 2005:
 * 4-7 %); light snow -5 % (FHWA Road Weather Management: freeway speeds fall 3-13 % in light
 * snow), heavy snow (> 0.5 in/h) -13 % (Agarwal et al.: 11-15 %).
 */
const RAIN_CAPACITY: readonly (readonly [number, number])[] = [
  [0, 1],
  [1.27, 1 - 0.0201],
  [4.45, 1 - 0.0724],
  [12.7, 1 - 0.1413],
];
const RAIN_SPEED: readonly (readonly [number, number])[] = [
  [0, 1],
  [1.27, 0.975],
  [4.45, 0.96],
  [12.7, 0.94],
];
const SNOW_CAPACITY: readonly (readonly [number, number])[] = [
  [0, 1],
  [0.064, 1 - 0.0429],
  [0.19, 1 - 0.0866],
  [0.76, 1 - 0.1104],
  [2.54, 1 - 0.2243],
];
const SNOW_SPEED: readonly (readonly [number, number])[] = [
  [0, 1],
  [0.064, 0.95],
  [0.76, 0.92],
  [2.54, 0.87],
];
/*
 * Visibility: Agarwal et al. 2005 find 12 % less capacity and 10-12 % lower speeds below 1/4 mile
 * (~400 m); Hablas (2007, on FHWA's data) finds visibility alone costs 1-3 % of free-flow speed,
 * starting below 1.2 km. So: nothing above 1.2 km, 3 % speed and 12 % capacity at 400 m, 11 %
 * speed at 100 m (dense fog).
 */
const VISIBILITY_SPEED: readonly (readonly [number, number])[] = [
  [100, 0.89],
  [400, 0.97],
  [1_200, 1],
];
const VISIBILITY_CAPACITY: readonly (readonly [number, number])[] = [
  [400, 0.88],
  [1_200, 1],
];

/**
 * What lies on the road. Model choices, bounded by FHWA Road Weather Management's figure of
 * 30-40 % lower arterial speeds on snowy or slushy pavement (freeway drivers slow less, lanes
 * narrow to the ploughed tracks): snow-covered -15 % speed and capacity, icy -20 % speed and
 * -15 % capacity, wet (without rain) -1 % speed.
 */
const SURFACE: Readonly<Record<SurfaceState['state'], WeatherFactors>> = {
  dry: { speed: 1, capacity: 1 },
  moist: { speed: 1, capacity: 1 },
  wet: { speed: 0.99, capacity: 1 },
  snow: { speed: 0.85, capacity: 0.85 },
  ice: { speed: 0.8, capacity: 0.85 },
};

/** HCM 2010 exhibit 10-15, temperature: 34-50 °F 1.07 %, -4..34 °F 1.50 %, below -4 °F 8.45 %. */
function temperatureCapacity(c: number): number {
  if (c < -20) return 1 - 0.0845;
  if (c < 1.1) return 1 - 0.015;
  if (c < 10) return 1 - 0.0107;
  return 1;
}

/**
 * The weather's effect on a freeway segment's free-flow speed and capacity. Precipitation and
 * visibility overlap (heavy snow is also poor visibility: the studies measured them together), so
 * the worse of the two counts, times what lies on the road, times (capacity) the cold.
 */
export function weatherEffect(c: Conditions, surface: SurfaceState): WeatherFactors {
  const r = c.precipitationMmH;
  const snowy = c.precipitationType === 'snow';
  const sleet = c.precipitationType === 'sleet';
  const precipSpeed = snowy ? interpolate(SNOW_SPEED, r) : sleet ? Math.min(interpolate(SNOW_SPEED, r / 2), interpolate(RAIN_SPEED, r)) : interpolate(RAIN_SPEED, r);
  const precipCapacity = snowy ? interpolate(SNOW_CAPACITY, r) : sleet ? Math.min(interpolate(SNOW_CAPACITY, r / 2), interpolate(RAIN_CAPACITY, r)) : interpolate(RAIN_CAPACITY, r);
  const road = SURFACE[surface.state];
  return {
    speed: Math.min(precipSpeed, interpolate(VISIBILITY_SPEED, c.visibilityM)) * road.speed,
    capacity: Math.min(precipCapacity, interpolate(VISIBILITY_CAPACITY, c.visibilityM)) * road.capacity * temperatureCapacity(c.airTemperatureC),
  };
}

import type { WeatherObservation } from '@saferoads/shared/contracts';

type PrecipitationType = WeatherObservation['precipitationType'];

/**
 * Open-Meteo's `weather_code` is the WMO code table 4677 (present weather, ww) subset its docs
 * list: 0-3 cloud, 45/48 fog, 51-55 drizzle, 56/57 freezing drizzle, 61-65 rain, 66/67 freezing
 * rain, 71-75 snowfall, 77 snow grains, 80-82 rain showers, 85/86 snow showers, 95 thunderstorm,
 * 96/99 thunderstorm with hail.
 */
const RAIN_CODES = new Set([51, 53, 55, 56, 57, 61, 63, 65, 66, 67, 80, 81, 82, 95]);
const SNOW_CODES = new Set([71, 73, 75, 77, 85, 86]);
const HAIL_CODES = new Set([96, 99]);

export interface PrecipitationAmounts {
  /** Liquid precipitation of the interval (rain and showers), mm. */
  readonly liquidMm: number;
  /** Snowfall of the interval, cm of snow. */
  readonly snowCm: number;
}

/**
 * The contract's precipitation type from the weather code and the interval's amounts. The code
 * says what falls; where the amounts show rain and snow together it is sleet; where the code
 * shows no precipitation but the model has some, the amounts decide. Freezing drizzle and
 * freezing rain are rain (the contract has no freezing type; the air temperature at or below
 * 0 °C beside it is what makes it freezing).
 */
export function precipitationType(code: number, a: PrecipitationAmounts): PrecipitationType {
  if (HAIL_CODES.has(code)) return 'hail';
  const snow = SNOW_CODES.has(code) || a.snowCm > 0;
  const rain = RAIN_CODES.has(code) || a.liquidMm > 0;
  if (snow && rain) return 'sleet';
  if (snow) return 'snow';
  if (rain) return 'rain';
  return 'none';
}

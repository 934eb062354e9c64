/**
 * The temperature climate the scenario varies around: an Alpine valley (Innsbruck, 578 m: about
 * -1.5 °C in January, 19 °C in July, days 8-11 °C warmer than nights), lowered with height at the
 * standard atmosphere's 6.5 °C per km.
 */
export const REFERENCE_ELEVATION_M = 600;
export const LAPSE_C_PER_M = 0.0065;

const DAY_MS = 86_400_000;

/** Day of the year, 0-based, with its fraction (UTC). */
export function dayOfYear(ms: number): number {
  const d = new Date(ms);
  return (ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS;
}

/** Local mean solar time in hours (0-24): what the sun, and so the daily cycle, follows. */
export function solarHour(ms: number, lonDeg: number): number {
  const h = (((ms % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000 + lonDeg / 15;
  return ((h % 24) + 24) % 24;
}

/** The solar day a moment belongs to (days since the epoch, at the longitude): fog and anomalies vary per day. */
export function solarDay(ms: number, lonDeg: number): number {
  return Math.floor((ms + (lonDeg / 15) * 3_600_000) / DAY_MS);
}

/** Daily mean air temperature at the reference elevation, °C: coldest mid-January, warmest mid-July. */
export function seasonalMeanC(doy: number): number {
  return 9 - 10.3 * Math.cos((2 * Math.PI * (doy - 15)) / 365.25);
}

/** Half the day-night range under a clear sky, °C: larger in summer. */
export function diurnalHalfRangeC(doy: number): number {
  return 4.5 - 1 * Math.cos((2 * Math.PI * (doy - 15)) / 365.25);
}

/** The daily cycle, -1 at 06:00 solar time (the minimum, near sunrise) to +1 at 15:00 (the maximum). */
export function diurnalShape(h: number): number {
  if (h >= 6 && h <= 15) return -Math.cos((Math.PI * (h - 6)) / 9);
  const since = (h - 15 + 24) % 24;
  return Math.cos((Math.PI * since) / 15);
}

/** Height of the sun's daily arc: 0 at night, 1 at solar noon (a sine from 06:00 to 18:00). */
export function daylight(h: number): number {
  return h > 6 && h < 18 ? Math.sin((Math.PI * (h - 6)) / 12) : 0;
}

import type { PointWeather } from './interpolate.js';

export interface FreezingRule {
  freezingThresholdC: number;
  bridgeFreezingMarginC: number;
}

/**
 * Freezing risk of a road surface (1) or not (0):
 * - never in a tunnel (no precipitation reaches it, and it stays warmer than outside), nor
 *   without weather;
 * - always when the surface state is ice or snow;
 * - otherwise when there is moisture (precipitation above 0 mm/h, a precipitation type other than
 *   none, or a moist or wet surface) and the road surface temperature (the air temperature when no
 *   station reports the surface) is at or below the threshold, raised by the bridge margin on
 *   bridges, which freeze first.
 */
export function freezingRisk(w: PointWeather, structure: 'tunnel' | 'bridge' | undefined, rule: FreezingRule): 0 | 1 {
  if (structure === 'tunnel' || w.stations === 0) return 0;
  const state = w.roadSurfaceState;
  if (state === 'ice' || state === 'snow') return 1;
  const moisture = w.precipitationMmH > 0 || w.precipitationType !== 'none' || state === 'wet' || state === 'moist';
  if (!moisture) return 0;
  const t = Number.isNaN(w.roadSurfaceTemperatureC) ? w.airTemperatureC : w.roadSurfaceTemperatureC;
  const threshold = rule.freezingThresholdC + (structure === 'bridge' ? rule.bridgeFreezingMarginC : 0);
  return t <= threshold ? 1 : 0;
}

import type { FeatureSource, FeatureSpec } from '@saferoads/model-spec';
import { ConfigError } from '@saferoads/shared/errors';

/** A group of features that a factor stands for: occluded (set to reference) together. */
export interface FeatureGroupDef {
  readonly name: string;
  /** What an operator reads. */
  readonly label: string;
  /**
   * Fixed per segment (road layout): kept as it is in the relativeRisk baseline, which asks how
   * much riskier the segment is now than in reference conditions, not than another road.
   */
  readonly static: boolean;
}

/** A group resolved against a spec: its features' columns. */
export interface FeatureGroup extends FeatureGroupDef {
  readonly columns: readonly number[];
}

/** The factors Saferoads reports, in the order ties are broken. */
export const FACTOR_GROUPS = [
  { name: 'speed', label: 'speed (mean, 85th percentile, share over the limit)', static: false },
  { name: 'speedVariation', label: 'speed variation between vehicles and lanes', static: false },
  { name: 'volume', label: 'flow, density and occupancy', static: false },
  { name: 'gaps', label: 'short gaps between vehicles', static: false },
  { name: 'trucks', label: 'share of trucks', static: false },
  { name: 'suddenChange', label: 'sudden change against the last 10 minutes (queue tail)', static: false },
  { name: 'shockwave', label: 'speed and density difference to the neighbouring segments (shockwave)', static: false },
  { name: 'precipitation', label: 'rain, snow, sleet or hail', static: false },
  { name: 'roadSurface', label: 'road surface: wet, ice, snow, freezing', static: false },
  { name: 'visibility', label: 'low visibility (fog)', static: false },
  { name: 'wind', label: 'wind and gusts', static: false },
  { name: 'weatherData', label: 'weather readings missing or old', static: false },
  { name: 'light', label: 'darkness or twilight', static: false },
  { name: 'glare', label: 'low sun ahead (glare)', static: false },
  { name: 'calendar', label: 'time of day, day of week, holiday', static: false },
  { name: 'curve', label: 'curvature', static: true },
  { name: 'roadLayout', label: 'road layout: lanes, ramps, grade, structure, limit', static: true },
] as const satisfies readonly FeatureGroupDef[];

export type FactorName = (typeof FACTOR_GROUPS)[number]['name'];

const STATS_FIELD_GROUP: Readonly<Record<string, FactorName>> = {
  count: 'volume',
  flowVehH: 'volume',
  densityVehKm: 'volume',
  occupancy: 'volume',
  meanSpeedKmh: 'speed',
  harmonicMeanSpeedKmh: 'speed',
  p85SpeedKmh: 'speed',
  shareOverLimit: 'speed',
  speedStdKmh: 'speedVariation',
  speedCv: 'speedVariation',
  laneSpeedSpreadKmh: 'speedVariation',
  meanGapS: 'gaps',
  minGapS: 'gaps',
  shareGapUnder1s: 'gaps',
  shareGapUnder2s: 'gaps',
  truckShare: 'trucks',
  lateCount: 'volume',
};

const CONTEXT_GROUP: Readonly<Record<string, FactorName>> = {
  curvatureDegPerKm: 'curve',
  minRadiusM: 'curve',
  precipitationMmH: 'precipitation',
  precipRain: 'precipitation',
  precipSnow: 'precipitation',
  precipSleet: 'precipitation',
  precipHail: 'precipitation',
  airTemperatureC: 'roadSurface',
  roadSurfaceTemperatureC: 'roadSurface',
  roadSurfaceTemperatureKnown: 'roadSurface',
  roadSurfaceStateKnown: 'roadSurface',
  roadMoist: 'roadSurface',
  roadWet: 'roadSurface',
  roadIce: 'roadSurface',
  roadSnow: 'roadSurface',
  freezingRisk: 'roadSurface',
  visibilityM: 'visibility',
  windSpeedMs: 'wind',
  windGustMs: 'wind',
  weatherMissing: 'weatherData',
  weatherStations: 'weatherData',
  weatherStaleStations: 'weatherData',
  weatherNearestM: 'weatherData',
  weatherAgeMin: 'weatherData',
  sunAltitudeDeg: 'light',
  twilight: 'light',
  dark: 'light',
  sunGlare: 'glare',
  hourSin: 'calendar',
  hourCos: 'calendar',
  dowSin: 'calendar',
  dowCos: 'calendar',
  weekend: 'calendar',
  holiday: 'calendar',
  dayBeforeHoliday: 'calendar',
};

/**
 * The factor a feature belongs to, from its source (never its position): the stats field's
 * meaning, a window difference is a sudden change, a neighbour's difference or presence is the
 * shockwave, and context features by name; road-shape context features not named above are road
 * layout. So a spec with new features still groups every one of them.
 */
export function factorOf(source: FeatureSource): FactorName {
  switch (source.kind) {
    case 'stats':
      return STATS_FIELD_GROUP[source.field] ?? 'volume';
    case 'windowDifference':
      return 'suddenChange';
    case 'neighbourDifference':
    case 'neighbourPresent':
      return 'shockwave';
    case 'context':
      return CONTEXT_GROUP[source.feature] ?? 'roadLayout';
  }
}

/**
 * The groups of a spec's features (FACTOR_GROUPS, or `defs` with `assign`), each with its
 * columns; groups with no feature in the spec are left out. Every feature is in exactly one group.
 */
export function featureGroups(
  spec: FeatureSpec,
  defs: readonly FeatureGroupDef[] = FACTOR_GROUPS,
  assign: (source: FeatureSource, name: string) => string = factorOf,
): FeatureGroup[] {
  const columns = new Map<string, number[]>(defs.map((d) => [d.name, []]));
  const problems: string[] = [];
  spec.features.forEach((f, k) => {
    const g = assign(f.source, f.name);
    const list = columns.get(g);
    if (list) list.push(k);
    else problems.push(`features[${k}] (${f.name}): assigned to unknown group "${g}"`);
  });
  if (problems.length > 0) throw new ConfigError('risk-scorer factor groups', problems);
  return defs.filter((d) => columns.get(d.name)!.length > 0).map((d) => ({ ...d, columns: columns.get(d.name)! }));
}

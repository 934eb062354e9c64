import type { TrafficStats } from '@saferoads/shared/contracts';

/** The numeric fields of a traffic-stats record (docs/traffic-stats.md), with their units. */
export const STATS_FIELD_UNITS = {
  count: 'vehicles',
  flowVehH: 'veh/h',
  meanSpeedKmh: 'km/h',
  harmonicMeanSpeedKmh: 'km/h',
  speedStdKmh: 'km/h',
  speedCv: '1',
  p85SpeedKmh: 'km/h',
  shareOverLimit: '0..1',
  meanGapS: 's',
  minGapS: 's',
  shareGapUnder1s: '0..1',
  shareGapUnder2s: '0..1',
  occupancy: '0..1',
  truckShare: '0..1',
  laneSpeedSpreadKmh: 'km/h',
  densityVehKm: 'veh/km',
  lateCount: 'detections',
} as const satisfies Record<string, string>;

export type StatsField = keyof typeof STATS_FIELD_UNITS & keyof TrafficStats;

export const STATS_FIELDS = Object.keys(STATS_FIELD_UNITS) as StatsField[];

export function isStatsField(name: string): name is StatsField {
  return Object.hasOwn(STATS_FIELD_UNITS, name);
}

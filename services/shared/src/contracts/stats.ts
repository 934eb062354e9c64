import { Type, type Static } from '@sinclair/typebox';
import { compileValidator, stringEnum } from './validate.js';

export const WINDOW_NAMES = ['1m', '10m'] as const;
export type WindowName = (typeof WINDOW_NAMES)[number];

const nullableNumber = () => Type.Union([Type.Number(), Type.Null()]);

/**
 * Statistics of one segment for one closed event-time window. Definitions: docs/traffic-stats.md.
 * Speed and gap figures are null when the window has no vehicle (or no known gap).
 */
export const TrafficStatsSchema = Type.Object(
  {
    segmentId: Type.String({ minLength: 1 }),
    window: stringEnum(WINDOW_NAMES),
    windowStartMs: Type.Integer(),
    windowEndMs: Type.Integer(),
    count: Type.Integer({ minimum: 0 }),
    flowVehH: Type.Number({ minimum: 0 }),
    meanSpeedKmh: nullableNumber(),
    harmonicMeanSpeedKmh: nullableNumber(),
    speedStdKmh: nullableNumber(),
    speedCv: nullableNumber(),
    p85SpeedKmh: nullableNumber(),
    shareOverLimit: nullableNumber(),
    meanGapS: nullableNumber(),
    minGapS: nullableNumber(),
    shareGapUnder1s: nullableNumber(),
    shareGapUnder2s: nullableNumber(),
    occupancy: Type.Number({ minimum: 0, maximum: 1 }),
    truckShare: nullableNumber(),
    laneSpeedSpreadKmh: nullableNumber(),
    densityVehKm: Type.Number({ minimum: 0 }),
    lateCount: Type.Integer({ minimum: 0 }),
  },
  { $id: 'TrafficStats' },
);
export type TrafficStats = Static<typeof TrafficStatsSchema>;

export const trafficStatsValidator = compileValidator(TrafficStatsSchema);

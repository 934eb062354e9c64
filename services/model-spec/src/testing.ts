import type { TrafficStats, WindowName } from '@saferoads/shared/contracts';

/** A stats record with plausible free-flow values; `over` sets the fields a test cares about. */
export function statsRecord(window: WindowName, over: Partial<TrafficStats> = {}): TrafficStats {
  const endMs = Date.UTC(2026, 2, 10, 7, 1);
  return {
    segmentId: 'S',
    window,
    windowStartMs: endMs - (window === '1m' ? 60_000 : 600_000),
    windowEndMs: endMs,
    count: 20,
    flowVehH: 1200,
    meanSpeedKmh: 100,
    harmonicMeanSpeedKmh: 98,
    speedStdKmh: 10,
    speedCv: 0.1,
    p85SpeedKmh: 110,
    shareOverLimit: 0.3,
    meanGapS: 4,
    minGapS: 0.8,
    shareGapUnder1s: 0.1,
    shareGapUnder2s: 0.2,
    occupancy: 0.05,
    truckShare: 0.2,
    laneSpeedSpreadKmh: 12,
    densityVehKm: 12.2,
    lateCount: 0,
    ...over,
  };
}

/** The same record with no vehicle: the nullable fields null, as the stats stage writes them. */
export function emptyStatsRecord(window: WindowName): TrafficStats {
  return statsRecord(window, {
    count: 0,
    flowVehH: 0,
    meanSpeedKmh: null,
    harmonicMeanSpeedKmh: null,
    speedStdKmh: null,
    speedCv: null,
    p85SpeedKmh: null,
    shareOverLimit: null,
    meanGapS: null,
    minGapS: null,
    shareGapUnder1s: null,
    shareGapUnder2s: null,
    occupancy: 0,
    truckShare: null,
    laneSpeedSpreadKmh: null,
    densityVehKm: 0,
  });
}

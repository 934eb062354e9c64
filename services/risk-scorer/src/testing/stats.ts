import type { TrafficStats, WindowName } from '@saferoads/shared/contracts';

export const MINUTE_MS = 60_000;
/** 2026-03-10 07:00 UTC: a Tuesday morning. */
export const T0 = Date.UTC(2026, 2, 10, 7, 0);

/** A plausible free-flow stats record of `segmentId` for the window ending at `endMs`; `over` sets what a test is about. */
export function stats(segmentId: string, window: WindowName, endMs: number, over: Partial<TrafficStats> = {}): TrafficStats {
  return {
    segmentId,
    window,
    windowStartMs: endMs - (window === '1m' ? MINUTE_MS : 10 * MINUTE_MS),
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

/** Both windows of every segment for the minute ending at endMs, in the given segment order. */
export function minuteOf(segmentIds: readonly string[], endMs: number): TrafficStats[] {
  return segmentIds.flatMap((id) => [stats(id, '1m', endMs), stats(id, '10m', endMs)]);
}

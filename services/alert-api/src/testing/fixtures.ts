import type { RiskAlert, RiskScore, RiskThresholds, TrafficStats, WeatherObservation } from '@saferoads/shared/contracts';

/** 2026-03-10 07:00 UTC, a minute boundary. */
export const T0 = 1_773_126_000_000;
export const MIN = 60_000;

export const ALERT_A = '0b5f3c2e-1d4a-8e6f-9a7b-1c2d3e4f5a6b';
export const ALERT_B = '1c6a4d3f-2e5b-8f70-8b8c-2d3e4f5a6b7c';
export const ALERT_C = '2d7b5e40-3f6c-8081-9c9d-3e4f5a6b7c8d';

export function score(segmentId: string, minute: number, over: Partial<RiskScore> = {}): RiskScore {
  return {
    segmentId,
    windowEndMs: T0 + minute * MIN,
    risk: 0.001 * (minute + 1),
    baselineRisk: 0.0005,
    relativeRisk: 2 * (minute + 1),
    level: 'elevated',
    factors: [{ name: 'precipitation', share: 0.75 }, { name: 'speed', share: 0.25 }],
    modelVersion: 'risk-test',
    complete: true,
    missing: [],
    defaults: 0,
    ...over,
  };
}

/** One step of an alert's life; seq and type decide the eventId. */
export function alertEvent(alertId: string, segmentId: string, seq: number, type: RiskAlert['type'], level: RiskAlert['level'], over: Partial<RiskAlert> = {}): RiskAlert {
  return {
    eventId: `${alertId}/${seq}`,
    alertId,
    seq,
    segmentId,
    type,
    level,
    previousLevel: seq === 0 ? null : 'high',
    windowEndMs: T0 + (3 + seq) * MIN,
    raisedAtMs: T0 + 3 * MIN,
    scoreLevel: level,
    risk: 0.01 + seq * 0.001,
    relativeRisk: 4 + seq,
    factors: [{ name: 'precipitation', share: 1 }],
    modelVersion: 'risk-test',
    ...over,
  };
}

export function stats(segmentId: string, minute: number, window: TrafficStats['window'] = '1m'): TrafficStats {
  const end = T0 + minute * MIN;
  return {
    segmentId,
    window,
    windowStartMs: end - (window === '1m' ? MIN : 10 * MIN),
    windowEndMs: end,
    count: 20 + minute,
    flowVehH: 1200 + 60 * minute,
    meanSpeedKmh: 90,
    harmonicMeanSpeedKmh: 88,
    speedStdKmh: 8,
    speedCv: 0.09,
    p85SpeedKmh: 101,
    shareOverLimit: 0.1,
    meanGapS: 2.5,
    minGapS: 0.6,
    shareGapUnder1s: 0.05,
    shareGapUnder2s: 0.3,
    occupancy: 0.08,
    truckShare: 0.12,
    laneSpeedSpreadKmh: 12,
    densityVehKm: 14,
    lateCount: 0,
  };
}

export function weather(stationId: string, lon: number, lat: number, ts: number, over: Partial<WeatherObservation> = {}): WeatherObservation {
  return { stationId, lat, lon, ts, precipitationMmH: 1.5, precipitationType: 'rain', visibilityM: 8000, windSpeedMs: 3, airTemperatureC: 6, ...over };
}

/** Thresholds as an admin sets them: the scorer's defaults with `elevated` as given. */
export function thresholds(elevated = 2): RiskThresholds {
  return {
    levelBasis: 'relativeRisk',
    levels: { elevated, high: 3.5, severe: 6 },
    alerts: { raiseLevel: 'high', raiseAfterMinutes: 3, escalateAfterMinutes: 1, deescalateAfterMinutes: 3, clearBelow: 'elevated', resolveAfterMinutes: 5 },
  };
}

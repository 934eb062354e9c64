import type { WeatherObservation } from '@saferoads/shared/contracts';
import type { Network } from '@saferoads/shared/network';

export interface WeatherSimulatorOptions {
  readonly network: Network;
  readonly seed: number;
  /** Simulated start, epoch ms: the first round of readings is taken then. */
  readonly startMs: number;
  readonly minutes: number;
  /** Seconds between a station's readings (default 300: road weather stations report every 5-15 minutes). */
  readonly intervalS?: number;
  /** Distance between stations along the road, km (default 8). */
  readonly stationSpacingKm?: number;
  /** Added to every temperature, °C: a cold spell brings snow and frost in any season. */
  readonly temperatureOffsetC?: number;
}

/**
 * One round of readings, all taken at one moment (`fromMs` = `untilMs` = that moment), so that
 * paced output releases them when they are taken.
 */
export interface WeatherBatch {
  readonly fromMs: number;
  readonly untilMs: number;
  readonly observations: WeatherObservation[];
}

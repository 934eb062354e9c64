import type { Rng } from '../random/rng.js';
import { VehicleClass } from './classes.js';

/** What the road itself does to free-flow speeds. */
export interface RoadSpeedContext {
  readonly limitKmh: number;
  /** Positive uphill in the direction of travel. */
  readonly gradePct: number;
  readonly tunnel: boolean;
  /** 0 (very poor) .. 1 (new). */
  readonly surfaceQuality: number;
}

/** Mean free-flow speeds (km/h) over all lanes. */
export interface FreeSpeeds {
  readonly car: number;
  readonly truck: number;
  readonly bus: number;
  readonly carTrailer: number;
}

/**
 * Cars drive a little above the limit (~6 % on Austrian motorways, a bit less in tunnels with
 * section control and on poor pavement). Lorries sit at their 85-90 km/h limiter (the Austrian
 * limit is 80) and crawl on long grades above 3 %: roughly 6 km/h per extra percent for a
 * loaded 40 t articulated lorry. Coaches are limited to 100 km/h, cars with trailers to 100.
 */
export function freeSpeeds(r: RoadSpeedContext): FreeSpeeds {
  const surface = 0.94 + 0.06 * r.surfaceQuality;
  const steepUp = Math.max(0, r.gradePct - 3);
  const car = r.limitKmh * 1.06 * (r.tunnel ? 0.95 : 1) * surface * (1 - 0.006 * steepUp);
  let truck = Math.min(84, r.limitKmh + 4) - 6 * steepUp;
  if (r.gradePct < -4) truck = Math.min(truck, 78); // engine-brake speed on long descents
  const bus = Math.min(96, r.limitKmh * 1.04) - 3 * steepUp;
  const carTrailer = Math.min(95, r.limitKmh) - 2 * steepUp;
  return { car, truck: Math.max(45, truck), bus: Math.max(50, bus), carTrailer: Math.max(55, carTrailer) };
}

const THREE_LANES = [0.93, 1.02, 1.11];

/** Relative car speed by lane (index 0 = rightmost): the keep-right rule makes the left lanes the fast ones. */
export function carLaneFactor(lanes: number, lane0: number): number {
  if (lanes <= 1) return 1;
  if (lanes === 2) return lane0 === 0 ? 0.97 : 1.08;
  if (lanes === 3) return THREE_LANES[lane0];
  return 0.92 + (0.2 * lane0) / (lanes - 1);
}

/** Per-lane, per-step parameters of the speed distribution, computed once and shared by the lane's vehicles. */
export interface LaneSpeedState {
  /** Free-flow means (km/h) by class in this lane, already reduced for flow. */
  car: number;
  truck: number;
  bus: number;
  carTrailer: number;
  carSd: number;
  carMax: number;
  /** 1 in free flow, 0 in a queue; blends the two regimes. */
  freeWeight: number;
  /** Space-mean speed of the cell (km/h) times the lane's congested factor. */
  congestedKmh: number;
  /** Stop-and-go amplitude (0 = none) and the phase offset of this station. */
  waveAmp: number;
  wavePhaseS: number;
}

/** Period of stop-and-go waves: 2-15 min observed, 4-5 min typical (Kerner 2004; Schönhof & Helbing 2007). */
export const WAVE_PERIOD_S = 270;
/** Stop-and-go waves travel upstream at about 15-20 km/h regardless of the road (Treiber & Kesting). */
export const WAVE_SPEED_MS = 5;

const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);

export function emptyLaneSpeedState(): LaneSpeedState {
  return {
    car: 0,
    truck: 0,
    bus: 0,
    carTrailer: 0,
    carSd: 0,
    carMax: 0,
    freeWeight: 1,
    congestedKmh: 0,
    waveAmp: 0,
    wavePhaseS: 0,
  };
}

/** Fills `out` (reused every step: this runs for every lane of every station every step). */
export function laneSpeedState(
  out: LaneSpeedState,
  free: FreeSpeeds,
  limitKmh: number,
  lanes: number,
  lane0: number,
  /** Lane flow over lane capacity, 0..1. */
  utilization: number,
  /** Cell space-mean speed over its free-flow speed. */
  speedRatio: number,
  cellKmh: number,
  stationXM: number,
): void {
  const lf = carLaneFactor(lanes, lane0);
  // Speed-flow: cars slow by ~10 % as the lane approaches capacity before breakdown (HBS 2015 speed-flow curves).
  const flowFactor = 1 - 0.1 * clamp(utilization, 0, 1) ** 2;
  const truckBonus = lane0 > 0 ? 3 : 0; // an overtaking lorry is the faster one
  const x = clamp((speedRatio - 0.7) / 0.25, 0, 1);
  const freeWeight = x * x * (3 - 2 * x);
  // In a queue lanes synchronise: the left lane is only a few percent faster.
  const congestedKmh = cellKmh * (1 + 0.03 * (lane0 - (lanes - 1) / 2));
  const waveAmp = cellKmh < 60 ? 0.55 * clamp((60 - cellKmh) / 45, 0, 1) : 0;
  out.car = free.car * lf * flowFactor;
  out.truck = free.truck + truckBonus;
  out.bus = free.bus * (0.5 + 0.5 * lf);
  out.carTrailer = free.carTrailer;
  out.carSd = 4 + 0.05 * limitKmh;
  out.carMax = Math.min(230, limitKmh * 1.55 + 10);
  out.freeWeight = freeWeight;
  out.congestedKmh = congestedKmh;
  out.waveAmp = waveAmp;
  out.wavePhaseS = stationXM / WAVE_SPEED_MS;
}

/** Draws one vehicle's spot speed (km/h, unrounded). */
export function drawSpeed(rng: Rng, c: VehicleClass, s: LaneSpeedState, tsMs: number): number {
  let mean: number;
  let sd: number;
  let max: number;
  switch (c) {
    case VehicleClass.Car:
      mean = s.car;
      sd = s.carSd;
      max = s.carMax;
      break;
    case VehicleClass.Van:
      mean = s.car * 0.96;
      sd = s.carSd;
      max = s.carMax * 0.9;
      break;
    case VehicleClass.Motorbike:
      mean = s.car * 1.03;
      sd = s.carSd * 1.3;
      max = s.carMax;
      break;
    case VehicleClass.CarTrailer:
      mean = s.carTrailer;
      sd = 5;
      max = 125;
      break;
    case VehicleClass.Bus:
      mean = s.bus;
      sd = 4;
      max = 105;
      break;
    default:
      mean = s.truck;
      sd = 3.2;
      max = 92; // limiter at 89-90 km/h plus loop error
  }
  let lo = Math.max(35, mean - 3.5 * sd);
  if (s.freeWeight < 1) {
    const phase = (2 * Math.PI * (tsMs / 1000 + s.wavePhaseS)) / WAVE_PERIOD_S;
    const wave = s.waveAmp > 0 ? 1 + s.waveAmp * Math.sin(phase) : 1;
    const cong = s.congestedKmh * wave * (c >= VehicleClass.Rigid ? 0.97 : 1);
    const w = s.freeWeight;
    mean = Math.min(mean, w * mean + (1 - w) * cong);
    sd = w * sd + (1 - w) * (0.08 * cong + 1.5);
    lo = Math.max(1, w * lo + (1 - w) * 0.3 * mean);
  }
  const v = mean + sd * rng.normal();
  return v < lo ? lo + (lo - v) * 0.1 : v > max ? max - (v - max) * 0.1 : v;
}

import type { Detection } from '@saferoads/shared';
import type { Rng } from '../random/rng.js';
import { drawClass, drawLength } from './classes.js';
import { MIN_GAP_S, STANDSTILL_GAP_M, drawHeadwayS } from './headway.js';
import { drawSpeed, type LaneSpeedState } from './speeds.js';

/** Loop length (m) added to the vehicle length: the loop is occupied from front-in to rear-out. */
export const LOOP_LENGTH_M = 2.0;

/** Conditions of one lane at one station over one step. */
export interface LaneConditions {
  /** Vehicles per second in this lane. */
  flow: number;
  truckProb: number;
  utilization: number;
  speedRatio: number;
  speedMs: number;
  speeds: LaneSpeedState;
}

/**
 * One loop in one lane. Arrivals are a renewal process run in "operational time" (expected
 * vehicles): the unused part of a headway carries over when the flow changes between steps,
 * so counts follow the traffic model's flow exactly and no step boundary shows in the data.
 */
export class LaneDetector {
  private seq = 0;
  private lastTs = Number.NEGATIVE_INFINITY;
  private lastOccMs = 0;
  /** Expected vehicles still to pass before the next arrival. */
  private owed: number;
  private anchorMs: number;

  constructor(
    readonly detectorId: string,
    readonly lane: number,
    private readonly rng: Rng,
    startMs: number,
    private readonly withGaps: boolean,
  ) {
    this.owed = rng.exponential(1);
    this.anchorMs = startMs;
  }

  /** Appends the vehicles passing in [t0, t1) to out, in ts order. */
  generate(t0: number, t1: number, c: LaneConditions, out: Detection[]): void {
    const rng = this.rng;
    const perMs = c.flow / 1000;
    if (this.anchorMs < t0) this.anchorMs = t0;
    if (!(perMs > 1e-12)) {
      this.anchorMs = t1;
      return;
    }
    const minGapMs = 1000 * Math.max(MIN_GAP_S, STANDSTILL_GAP_M / Math.max(c.speedMs, 0.5));
    for (;;) {
      const due = this.anchorMs + this.owed / perMs;
      const earliest = this.lastTs + this.lastOccMs + minGapMs;
      const ts = Math.ceil(due > earliest ? due : earliest);
      if (ts >= t1) {
        this.owed = Math.max(0, this.owed - (t1 - this.anchorMs) * perMs);
        this.anchorMs = t1;
        return;
      }
      const cls = drawClass(rng, rng.uniform() < c.truckProb);
      const lengthM = Math.round(drawLength(rng, cls) * 10) / 10;
      const speedKmh = Math.round(drawSpeed(rng, cls, c.speeds, ts) * 10) / 10;
      const speedMs = speedKmh / 3.6;
      const occupancyMs = Math.round(((lengthM + LOOP_LENGTH_M) / speedMs) * 1000);
      const d: Detection = this.withGaps
        ? {
            detectorId: this.detectorId,
            lane: this.lane,
            ts,
            speedKmh,
            lengthM,
            occupancyMs,
            ...(this.lastTs > Number.NEGATIVE_INFINITY
              ? { gapS: Math.round(ts - this.lastTs - this.lastOccMs) / 1000 }
              : {}),
            seq: this.seq++,
          }
        : { detectorId: this.detectorId, lane: this.lane, ts, speedKmh, lengthM, occupancyMs, seq: this.seq++ };
      out.push(d);
      // The gap the stats stage derives uses these rounded values, so the floor does too.
      this.lastOccMs = (lengthM / speedMs) * 1000;
      this.lastTs = ts;
      const h = drawHeadwayS(rng, c.flow, this.lastOccMs / 1000, c.speedRatio, c.speedMs);
      this.owed = h * c.flow;
      this.anchorMs = ts;
    }
  }
}

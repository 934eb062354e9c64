import type { Detection } from '@saferoads/shared';
import { Rng } from '../random/rng.js';
import { LaneDetector, type LaneConditions } from './detector.js';
import { carLaneShares, truckLaneShares } from './lanes.js';
import { emptyLaneSpeedState, freeSpeeds, laneSpeedState, type FreeSpeeds, type RoadSpeedContext } from './speeds.js';
import type { CellMeasurement } from '../model/ctm.js';

/** What the traffic model measured at the station's cell over the step the vehicles are drawn for. */
export type StationConditions = CellMeasurement;

export interface StationSpec {
  readonly segmentId: string;
  readonly detectors: readonly { readonly detectorId: string; readonly lane: number }[];
  readonly lanes: number;
  /** Position along its carriageway, m (drives the stop-and-go phase). */
  readonly xM: number;
  readonly road: RoadSpeedContext;
}

/** A detector station: the loops of one segment's cross-section. */
export class Station {
  readonly detectors: LaneDetector[];
  private readonly lanes: number;
  private readonly free: FreeSpeeds;
  /** Free speeds under the weather of the last step that had any, and its factor. */
  private weatherFree: FreeSpeeds;
  private weatherFactor = 1;
  private readonly carShares: Float64Array;
  private readonly truckShares: Float64Array;
  private readonly laneConds: LaneConditions[];

  constructor(
    readonly spec: StationSpec,
    seed: number,
    startMs: number,
    withGaps: boolean,
  ) {
    this.lanes = Math.max(spec.lanes, ...spec.detectors.map((d) => d.lane));
    this.free = freeSpeeds(spec.road);
    this.weatherFree = this.free;
    this.carShares = new Float64Array(this.lanes);
    this.truckShares = new Float64Array(this.lanes);
    this.detectors = spec.detectors.map(
      (d) => new LaneDetector(d.detectorId, d.lane, new Rng(seed, 'vehicles', d.detectorId), startMs, withGaps),
    );
    this.laneConds = Array.from({ length: this.lanes }, () => ({
      flow: 0,
      truckProb: 0,
      utilization: 0,
      speedRatio: 1,
      speedMs: 0,
      speeds: emptyLaneSpeedState(),
    }));
  }

  /** Appends this station's vehicles in [t0, t1) to out (per detector in ts order). */
  generate(t0: number, t1: number, c: StationConditions, out: Detection[]): void {
    const lanes = this.lanes;
    const blocked = Math.min(lanes, c.lanesBlocked);
    const open = lanes - blocked;
    const utilization = c.capacity > 0 ? Math.min(1, c.flow / c.capacity) : 1;
    const speedRatio = c.freeSpeedMs > 0 ? Math.min(1, c.speedMs / c.freeSpeedMs) : 1;
    this.carShares.fill(0);
    this.truckShares.fill(0);
    if (open > 0) {
      carLaneShares(open, utilization, this.carShares.subarray(blocked));
      truckLaneShares(open, this.truckShares.subarray(blocked));
    }
    const laneCapacity = open > 0 ? c.capacity / open : 0;
    const free = this.freeUnder(c.weatherSpeed);
    const cars = c.flow * (1 - c.truckShare);
    const trucks = c.flow * c.truckShare;
    for (let i = 0; i < lanes; i++) {
      const lc = cars * this.carShares[i];
      const lt = trucks * this.truckShares[i];
      const flow = lc + lt;
      const u = laneCapacity > 0 ? Math.min(1, flow / laneCapacity) : 1;
      const cond = this.laneConds[i];
      cond.flow = flow;
      cond.truckProb = flow > 0 ? lt / flow : 0;
      cond.utilization = u;
      cond.speedRatio = speedRatio;
      cond.speedMs = c.speedMs;
      if (flow > 0) {
        laneSpeedState(
          cond.speeds,
          free,
          this.spec.road.limitKmh,
          Math.max(1, open),
          Math.max(0, i - blocked),
          u,
          speedRatio,
          c.speedMs * 3.6,
          this.spec.xM,
        );
      }
    }
    for (const d of this.detectors) d.generate(t0, t1, this.laneConds[d.lane - 1], out);
  }

  /** Every class's free speed times the weather's factor; the road's own speeds when there is none. */
  private freeUnder(factor: number): FreeSpeeds {
    if (factor === 1) return this.free;
    if (factor !== this.weatherFactor) {
      const f = this.free;
      this.weatherFree = { car: f.car * factor, truck: f.truck * factor, bus: f.bus * factor, carTrailer: f.carTrailer * factor };
      this.weatherFactor = factor;
    }
    return this.weatherFree;
  }
}

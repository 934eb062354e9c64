import { CAPACITY_DROP, JAM_DENSITY_PCU_PER_KM } from './capacity.js';
import type { ChainLayout } from './layout.js';

/** A single-lane on-ramp discharges at most ~1800 veh/h. */
export const RAMP_CAPACITY_VEH_S = 1800 / 3600;
/** Off-ramp shares are capped so the through flow never vanishes. */
const MAX_OFF_SHARE = 0.9;

/** Demand on one chain for one step, vehicles per second. */
export interface ChainInputs {
  srcCar: number;
  srcTruck: number;
  /** Per on-ramp, in layout.onRamps order. */
  readonly rampCar: Float64Array;
  readonly rampTruck: Float64Array;
  /** Per off-ramp turning share, in layout.offRamps order. */
  readonly offShare: Float64Array;
}

/** What a detector station's cell did over one step. */
export interface CellMeasurement {
  /** Vehicles per second through the cell (mean of in- and outflow). */
  flow: number;
  truckShare: number;
  /** Space-mean speed, m/s. */
  speedMs: number;
  /** Free-flow speed of the road without incident (with the weather), m/s: vehicle speeds are drawn relative to it. */
  freeSpeedMs: number;
  /** The weather's multiplier of free-flow speeds in the cell (1 = none). */
  weatherSpeed: number;
  /** Current capacity, vehicles per second. */
  capacity: number;
  /** Lanes closed by an incident, counted from the right: their loops see nothing. */
  lanesBlocked: number;
}

const mid = (a: number, b: number, c: number) => Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));

/**
 * Daganzo's cell-transmission model (1994, 1995) on one carriageway, with two commodities (cars
 * and heavy vehicles) sharing one triangular fundamental diagram per cell:
 *   S_i = min(vf_i k_i, Q_i)              sending (demand) of cell i
 *   R_i = min(Q_i, w_i (kj_i - k_i))      receiving (supply) of cell i
 *   y_i = min(S_{i-1} (1 - beta), R_i)    flow over the boundary, beta = off-ramp share
 *   n_i(t + dt) = n_i(t) + dt (y_i + r_i - y_{i+1} / (1 - beta_{i+1}))
 * with Daganzo's priority merge at on-ramps, FIFO diverges at off-ramps, point queues at the
 * chain entry and on the ramps, and a capacity drop where a queue discharges. Heavy vehicles
 * move with the flow in proportion to each sending cell's composition; their share sets each
 * cell's capacity (pcu) and free-flow speed every sub-step.
 */
export class ChainCtm {
  readonly car: Float64Array;
  readonly truck: Float64Array;
  /** Incident capacity factor per cell (1 = no incident). */
  readonly capacityFactor: Float64Array;
  /** Lanes closed per cell, counted from the right (for the lane split at stations). */
  readonly lanesBlocked: Int32Array;
  /** Weather multipliers of free-flow speed and of capacity per cell (1 = dry and clear). */
  readonly weatherSpeed: Float64Array;
  readonly weatherCapacity: Float64Array;
  readonly rampQueueCar: Float64Array;
  readonly rampQueueTruck: Float64Array;
  srcQueueCar = 0;
  srcQueueTruck = 0;
  /** Cumulative vehicles that entered the road (chain entry and on-ramps) and left it (exit and off-ramps). */
  entered = 0;
  exited = 0;

  private readonly accIn: Float64Array;
  private readonly accOut: Float64Array;
  private readonly accInTruck: Float64Array;
  private readonly accOutTruck: Float64Array;
  private readonly accDensity: Float64Array;
  private accTime = 0;

  // Per-substep scratch.
  private readonly S: Float64Array;
  private readonly R: Float64Array;
  private readonly vf: Float64Array;
  private readonly vfBase: Float64Array;
  private readonly Q: Float64Array;
  private readonly T: Float64Array;
  private readonly congested: Uint8Array;
  private readonly inCar: Float64Array;
  private readonly inTruck: Float64Array;
  private readonly outCar: Float64Array;
  private readonly outTruck: Float64Array;
  private readonly beta: Float64Array;
  private readonly rampsByCell: readonly (readonly number[])[];
  private readonly offByCell: readonly (readonly number[])[];
  private readonly rampFlow: Float64Array;

  constructor(readonly layout: ChainLayout) {
    const n = layout.cellCount;
    const f = () => new Float64Array(n);
    this.car = f();
    this.truck = f();
    this.capacityFactor = f().fill(1);
    this.lanesBlocked = new Int32Array(n);
    this.weatherSpeed = f().fill(1);
    this.weatherCapacity = f().fill(1);
    this.accIn = f();
    this.accOut = f();
    this.accInTruck = f();
    this.accOutTruck = f();
    this.accDensity = f();
    this.S = f();
    this.R = f();
    this.vf = f();
    this.vfBase = f();
    this.Q = f();
    this.T = f();
    this.congested = new Uint8Array(n);
    this.inCar = f();
    this.inTruck = f();
    this.outCar = f();
    this.outTruck = f();
    this.beta = f();
    const nr = layout.onRamps.length;
    this.rampQueueCar = new Float64Array(nr);
    this.rampQueueTruck = new Float64Array(nr);
    this.rampFlow = new Float64Array(nr);
    const byCell = (list: readonly { cell: number }[]) => {
      const out: number[][] = Array.from({ length: n }, () => []);
      list.forEach((r, j) => out[r.cell].push(j));
      return out;
    };
    this.rampsByCell = byCell(layout.onRamps);
    this.offByCell = byCell(layout.offRamps);
  }

  /** Fills the road at free-flow density for the given entry demand, so a warm-up starts close to equilibrium. */
  initialiseFreeFlow(carVehS: number, truckVehS: number): void {
    const L = this.layout;
    const tShare = carVehS + truckVehS > 0 ? truckVehS / (carVehS + truckVehS) : 0;
    for (let i = 0; i < L.cellCount; i++) {
      const vf = 1 / ((1 - tShare) / L.carFreeMs[i] + tShare / L.truckFreeMs[i]);
      this.car[i] = (carVehS / vf) * L.lengthM[i];
      this.truck[i] = (truckVehS / vf) * L.lengthM[i];
    }
  }

  /** Vehicles on the road now. */
  stored(): number {
    let s = 0;
    for (let i = 0; i < this.car.length; i++) s += this.car[i] + this.truck[i];
    return s;
  }

  /** Vehicles waiting to enter (at the chain entry and on the ramps). */
  queued(): number {
    let s = this.srcQueueCar + this.srcQueueTruck;
    for (let j = 0; j < this.rampQueueCar.length; j++) s += this.rampQueueCar[j] + this.rampQueueTruck[j];
    return s;
  }

  /** Advances the model by stepS seconds (in layout.substeps sub-steps); measurements restart. */
  step(stepS: number, inp: ChainInputs): void {
    this.accIn.fill(0);
    this.accOut.fill(0);
    this.accInTruck.fill(0);
    this.accOutTruck.fill(0);
    this.accDensity.fill(0);
    this.accTime = 0;
    this.beta.fill(0);
    this.offByCell.forEach((list, i) => {
      let b = 0;
      for (const j of list) b += inp.offShare[j];
      this.beta[i] = Math.min(MAX_OFF_SHARE, b);
    });
    const k = this.layout.substeps;
    for (let s = 0; s < k; s++) this.substep(stepS / k, inp);
  }

  private substep(dt: number, inp: ChainInputs): void {
    const L = this.layout;
    const C = L.cellCount;
    const { car, truck, S, R, vf, Q, T, congested, capacityFactor } = this;
    const srcTotal = inp.srcCar + inp.srcTruck;
    const defaultT = srcTotal > 0 ? inp.srcTruck / srcTotal : 0;

    for (let i = 0; i < C; i++) {
      const n = car[i] + truck[i];
      const t = n > 1e-9 ? truck[i] / n : defaultT;
      const fhv = 1 + t * (L.pce[i] - 1);
      const cf = capacityFactor[i];
      // Weather slows cars and lorries alike (factor 1 leaves every number as it was).
      const vBase = this.weatherSpeed[i] / ((1 - t) / L.carFreeMs[i] + t / L.truckFreeMs[i]);
      // Drivers slow past an incident: down to ~60 % of free speed when most lanes are closed.
      const v = cf < 1 ? vBase * (0.6 + 0.4 * cf) : vBase;
      const q = (L.lanes[i] * L.pcuPerLaneH[i] * this.weatherCapacity[i]) / fhv / 3600;
      const kj = (L.lanes[i] * JAM_DENSITY_PCU_PER_KM) / 1000 / fhv;
      const w = q / (kj - q / v);
      const qe = q * cf;
      const dens = n / L.lengthM[i];
      S[i] = Math.min(v * dens, qe);
      R[i] = Math.max(0, Math.min(qe, w * (kj - dens)));
      congested[i] = dens > qe / v ? 1 : 0;
      vf[i] = v;
      this.vfBase[i] = vBase;
      Q[i] = qe;
      T[i] = t;
      this.accDensity[i] += dens * dt;
    }

    const rf = this.rampFlow;
    for (let b = 0; b <= C; b++) {
      let sUp: number;
      let tUp: number;
      if (b === 0) {
        const qc = inp.srcCar + this.srcQueueCar / dt;
        const qt = inp.srcTruck + this.srcQueueTruck / dt;
        sUp = qc + qt;
        tUp = sUp > 0 ? qt / sUp : 0;
      } else {
        sUp = S[b - 1];
        tUp = T[b - 1];
      }
      const beta = b === 0 ? 0 : this.beta[b - 1];
      const through = sUp * (1 - beta);
      let sr = 0;
      const ramps = b < C ? this.rampsByCell[b] : [];
      for (const j of ramps) {
        rf[j] = Math.min(
          inp.rampCar[j] + inp.rampTruck[j] + (this.rampQueueCar[j] + this.rampQueueTruck[j]) / dt,
          RAMP_CAPACITY_VEH_S,
        );
        sr += rf[j];
      }
      let recv = b === C ? Number.POSITIVE_INFINITY : R[b];
      if (b > 0 && b < C && congested[b - 1] === 1 && congested[b] === 0) recv *= 1 - CAPACITY_DROP;
      let x = through;
      let r = sr;
      if (through + sr > recv) {
        const lanesUp = b === 0 ? L.lanes[0] : L.lanes[b - 1];
        const p = lanesUp / (lanesUp + 1);
        x = mid(through, recv - sr, p * recv);
        r = mid(sr, recv - through, (1 - p) * recv);
      }
      const out = beta > 0 ? x / (1 - beta) : x;
      const off = out - x;
      // Flows per class; the up side's composition travels with it.
      if (b === 0) {
        const outT = out * tUp;
        this.srcQueueCar = Math.max(0, this.srcQueueCar + dt * (inp.srcCar - (out - outT)));
        this.srcQueueTruck = Math.max(0, this.srcQueueTruck + dt * (inp.srcTruck - outT));
        this.entered += out * dt;
      } else {
        this.outCar[b - 1] = out * (1 - tUp);
        this.outTruck[b - 1] = out * tUp;
      }
      this.exited += off * dt;
      if (b === C) {
        this.exited += x * dt;
        continue;
      }
      let inC = x * (1 - tUp);
      let inT = x * tUp;
      if (sr > 0) {
        for (const j of ramps) {
          const flow = (r * rf[j]) / sr;
          const qc = inp.rampCar[j] + this.rampQueueCar[j] / dt;
          const qt = inp.rampTruck[j] + this.rampQueueTruck[j] / dt;
          const tr = qc + qt > 0 ? qt / (qc + qt) : 0;
          this.rampQueueCar[j] = Math.max(0, this.rampQueueCar[j] + dt * (inp.rampCar[j] - flow * (1 - tr)));
          this.rampQueueTruck[j] = Math.max(0, this.rampQueueTruck[j] + dt * (inp.rampTruck[j] - flow * tr));
          inC += flow * (1 - tr);
          inT += flow * tr;
          this.entered += flow * dt;
        }
      } else {
        for (const j of ramps) {
          this.rampQueueCar[j] += dt * inp.rampCar[j];
          this.rampQueueTruck[j] += dt * inp.rampTruck[j];
        }
      }
      this.inCar[b] = inC;
      this.inTruck[b] = inT;
    }

    for (let i = 0; i < C; i++) {
      const inAll = this.inCar[i] + this.inTruck[i];
      const outAll = this.outCar[i] + this.outTruck[i];
      car[i] = Math.max(0, car[i] + dt * (this.inCar[i] - this.outCar[i]));
      truck[i] = Math.max(0, truck[i] + dt * (this.inTruck[i] - this.outTruck[i]));
      this.accIn[i] += inAll * dt;
      this.accOut[i] += outAll * dt;
      this.accInTruck[i] += this.inTruck[i] * dt;
      this.accOutTruck[i] += this.outTruck[i] * dt;
    }
    this.accTime += dt;
  }

  /** Flow, composition and speed of a cell over the last step. */
  measure(cell: number): CellMeasurement {
    const span = this.accTime;
    const flow = (this.accIn[cell] + this.accOut[cell]) / 2 / span;
    const flowT = (this.accInTruck[cell] + this.accOutTruck[cell]) / 2 / span;
    const dens = this.accDensity[cell] / span;
    const vf = this.vf[cell];
    const v = dens > 1e-7 ? Math.min(vf, flow / dens) : vf;
    return {
      flow,
      truckShare: flow > 1e-9 ? flowT / flow : this.T[cell],
      speedMs: Math.max(0.3, v),
      freeSpeedMs: this.vfBase[cell],
      weatherSpeed: this.weatherSpeed[cell],
      capacity: this.Q[cell],
      lanesBlocked: this.lanesBlocked[cell],
    };
  }
}

import type { Detection } from '@saferoads/shared';
import { orderedChains } from '@saferoads/shared/network';
import { mainlineDemand, offRampShare, onRampShare } from './demand/demand.js';
import { DemandNoise } from './demand/noise.js';
import { RAMP_TRUCK_FACTOR } from './demand/profiles.js';
import { Delivery } from './faults/delivery.js';
import { hasFaults, planFaults, type DetectorRef } from './faults/plan.js';
import { incidentFactor } from './model/capacity.js';
import { ChainCtm, type ChainInputs } from './model/ctm.js';
import { buildLayout, type ChainLayout } from './model/layout.js';
import { Rng } from './random/rng.js';
import { localClock, type LocalClock } from './time/local-time.js';
import type { DetectionBatch, FaultOptions, LoopSimulatorOptions } from './types.js';
import { Station } from './vehicles/station.js';

export const DEFAULT_STEP_MS = 5_000;

interface IncidentWindow {
  readonly fromMs: number;
  readonly toMs: number;
  readonly cells: readonly number[];
  readonly factor: number;
  readonly lanesBlocked: number;
}

/** One carriageway while a run is in progress. */
interface ChainRun {
  readonly layout: ChainLayout;
  readonly ctm: ChainCtm;
  readonly clock: LocalClock;
  readonly noise: DemandNoise;
  readonly rampNoise: readonly DemandNoise[];
  readonly inputs: ChainInputs;
  readonly stations: readonly { readonly station: Station; readonly cell: number }[];
  readonly incidents: readonly IncidentWindow[];
  /** The cells of each segment of the chain, in layout.segments order (for weather). */
  readonly cellsOfSegment: readonly (readonly number[])[];
}

function check(cond: boolean, msg: string): void {
  if (!cond) throw new RangeError(msg);
}

function validateFaults(f: FaultOptions): void {
  const share = (name: string, v: number | undefined) =>
    check(v === undefined || (Number.isFinite(v) && v >= 0 && v <= 1), `faults.${name} must be between 0 and 1`);
  const nonNeg = (name: string, v: number | undefined) =>
    check(v === undefined || (Number.isFinite(v) && v >= 0), `faults.${name} must be a number >= 0`);
  share('dropouts', f.dropouts);
  share('duplicates', f.duplicates);
  share('late', f.late);
  check(f.stuck === undefined || (Number.isInteger(f.stuck) && f.stuck >= 0), 'faults.stuck must be an integer >= 0');
  nonNeg('reorderS', f.reorderS);
  nonNeg('lateDelayS', f.lateDelayS);
  nonNeg('clockSkewS', f.clockSkewS);
}

/**
 * Simulates induction-loop detections on a road network: a cell-transmission traffic model
 * per carriageway, individual vehicles at every detector station, optional detector faults.
 * Pure and deterministic: the same options give the same batches, however fast they are read.
 */
export class LoopSimulator {
  readonly startMs: number;
  readonly endMs: number;
  readonly stepMs: number;
  /** Steps of traffic; faults may add trailing batches of late deliveries. */
  readonly stepCount: number;
  readonly layouts: readonly ChainLayout[];
  private readonly opts: LoopSimulatorOptions;

  constructor(opts: LoopSimulatorOptions) {
    const stepMs = opts.stepMs ?? DEFAULT_STEP_MS;
    check(Number.isSafeInteger(opts.seed), 'seed must be an integer');
    check(Number.isSafeInteger(opts.startMs), 'startMs must be an integer epoch ms');
    check(Number.isFinite(opts.minutes) && opts.minutes > 0, 'minutes must be > 0');
    check(Number.isInteger(stepMs) && stepMs >= 100 && stepMs <= 60_000, 'stepMs must be an integer in 100..60000');
    const demand = opts.demandFactor ?? 1;
    check(Number.isFinite(demand) && demand >= 0, 'demandFactor must be >= 0');
    check(opts.weather === undefined || typeof opts.weather === 'function', 'weather must be a function (segment, tMs) => { speed, capacity }');
    if (opts.faults) validateFaults(opts.faults);
    for (const inc of opts.incidents ?? []) {
      const seg = opts.network.byId.get(inc.segmentId);
      if (seg === undefined) throw new RangeError(`incident on unknown segment ${inc.segmentId}`);
      const timed = Number.isFinite(inc.startMs) && Number.isFinite(inc.durationMin) && inc.durationMin > 0;
      check(timed, `incident on ${inc.segmentId}: bad start or duration`);
      const lb = inc.lanesBlocked ?? 1;
      const lanes = seg.props.lanes;
      check(Number.isInteger(lb) && lb >= 0 && lb <= lanes, `incident on ${inc.segmentId}: lanesBlocked must be 0..${lanes}`);
    }
    this.opts = opts;
    this.stepMs = stepMs;
    this.startMs = opts.startMs;
    this.stepCount = Math.ceil((opts.minutes * 60_000) / stepMs);
    this.endMs = this.startMs + this.stepCount * stepMs;
    this.layouts = orderedChains(opts.network)
      .filter((c) => c.length > 0)
      .map((c) => buildLayout(c, stepMs / 1000));
    // Resolve every timezone up front: a bad one is a network error, not a mid-run crash.
    for (const l of this.layouts) for (const s of l.segments) localClock(s.props.timezone);
  }

  /** The batches of one run, one per step, in delivery order. Each call starts the same run afresh. */
  *batches(): Generator<DetectionBatch> {
    const seed = this.opts.seed;
    const stepS = this.stepMs / 1000;
    const runs = this.layouts.map((l) => this.startChain(l));

    // Warm up without vehicles so the road is loaded, and queues of earlier incidents exist, at startMs.
    const longest = this.layouts.reduce((m, l) => Math.max(m, l.totalLengthM), 0);
    const warmSteps = Math.ceil(Math.min(5400, Math.max(1200, (2 * longest) / (80 / 3.6))) / stepS);
    for (let k = warmSteps; k > 0; k--) {
      const t0 = this.startMs - k * this.stepMs;
      for (const r of runs) this.advance(r, t0, stepS);
    }

    const faults = this.opts.faults;
    const plan = hasFaults(faults) ? planFaults(faults!, this.detectorRefs(), seed, this.startMs, this.endMs) : null;
    const delivery = new Delivery(plan, this.startMs, this.stepMs, seed);
    for (let k = 0; k < this.stepCount; k++) {
      const t0 = this.startMs + k * this.stepMs;
      const t1 = t0 + this.stepMs;
      const out: Detection[] = [];
      for (const r of runs) {
        this.advance(r, t0, stepS);
        for (const { station, cell } of r.stations) station.generate(t0, t1, r.ctm.measure(cell), out);
      }
      yield { fromMs: t0, untilMs: t1, detections: delivery.deliver(k, out) };
    }
    for (let k = this.stepCount; delivery.pending > 0; k++) {
      const t0 = this.startMs + k * this.stepMs;
      yield { fromMs: t0, untilMs: t0 + this.stepMs, detections: delivery.take(k) };
    }
  }

  private detectorRefs(): DetectorRef[] {
    return this.layouts.flatMap((l) =>
      l.segments.flatMap((s) => s.props.detectors.map((d) => ({ detectorId: d.detectorId, controllerId: s.id }))),
    );
  }

  private startChain(layout: ChainLayout): ChainRun {
    const key = layout.segments[0].id;
    const seed = this.opts.seed;
    const nr = layout.onRamps.length;
    const cellsOf = new Map<string, number[]>();
    const cellsOfSegment: number[][] = layout.segments.map(() => []);
    for (let i = 0; i < layout.cellCount; i++) {
      const id = layout.segments[layout.segmentOfCell[i]].id;
      const list = cellsOf.get(id) ?? [];
      list.push(i);
      cellsOf.set(id, list);
      cellsOfSegment[layout.segmentOfCell[i]].push(i);
    }
    const incidents: IncidentWindow[] = [];
    for (const inc of this.opts.incidents ?? []) {
      const cells = cellsOf.get(inc.segmentId);
      if (!cells) continue;
      const seg = this.opts.network.byId.get(inc.segmentId)!;
      incidents.push({
        fromMs: inc.startMs,
        toMs: inc.startMs + inc.durationMin * 60_000,
        cells,
        factor: incidentFactor(seg.props.lanes, inc.lanesBlocked ?? 1),
        lanesBlocked: inc.lanesBlocked ?? 1,
      });
    }
    const run: ChainRun = {
      layout,
      ctm: new ChainCtm(layout),
      clock: localClock(layout.timezone),
      noise: new DemandNoise(new Rng(seed, 'demand', key)),
      rampNoise: layout.onRamps.map((r) => new DemandNoise(new Rng(seed, 'demand', r.rampId))),
      inputs: {
        srcCar: 0,
        srcTruck: 0,
        rampCar: new Float64Array(nr),
        rampTruck: new Float64Array(nr),
        offShare: new Float64Array(layout.offRamps.length),
      },
      stations: layout.stations
        .filter((s) => s.segment.props.detectors.length > 0)
        .map((s) => ({
          cell: s.cell,
          station: new Station(
            {
              segmentId: s.segment.id,
              detectors: s.segment.props.detectors,
              lanes: s.segment.props.lanes,
              xM: s.xM,
              road: s.road,
            },
            seed,
            this.startMs,
            this.opts.withGaps ?? false,
          ),
        })),
      incidents,
      cellsOfSegment,
    };
    const d = mainlineDemand(run.clock.at(this.startMs), layout.heading);
    const f = this.opts.demandFactor ?? 1;
    run.ctm.initialiseFreeFlow((d.carsPerHour * f) / 3600, (d.trucksPerHour * f) / 3600);
    return run;
  }

  /** Sets one step's demand and incidents, then runs the traffic model over it. */
  private advance(r: ChainRun, t0: number, stepS: number): void {
    const mid = t0 + this.stepMs / 2;
    const lt = r.clock.at(mid);
    const heading = r.layout.heading;
    const f = this.opts.demandFactor ?? 1;
    const d = mainlineDemand(lt, heading);
    const n = r.noise.next(stepS) * f;
    const inp = r.inputs;
    inp.srcCar = (d.carsPerHour * n) / 3600;
    inp.srcTruck = (d.trucksPerHour * n) / 3600;
    const main = (d.carsPerHour + d.trucksPerHour) / 3600;
    const truckShare = main > 0 ? d.trucksPerHour / 3600 / main : 0;
    const on = onRampShare(lt, heading);
    for (let j = 0; j < inp.rampCar.length; j++) {
      const total = on * main * f * r.rampNoise[j].next(stepS);
      const trucks = total * truckShare * RAMP_TRUCK_FACTOR;
      inp.rampCar[j] = total - trucks;
      inp.rampTruck[j] = trucks;
    }
    inp.offShare.fill(offRampShare(lt, heading));
    if (r.incidents.length > 0) {
      const cf = r.ctm.capacityFactor;
      const lb = r.ctm.lanesBlocked;
      cf.fill(1);
      lb.fill(0);
      for (const w of r.incidents) {
        if (!(mid >= w.fromMs && mid < w.toMs)) continue;
        for (const c of w.cells) {
          cf[c] = Math.min(cf[c], w.factor);
          lb[c] = Math.max(lb[c], w.lanesBlocked);
        }
      }
    }
    if (this.opts.weather) this.applyWeather(r, mid);
    r.ctm.step(stepS, inp);
  }

  /** The weather's speed and capacity factors of each segment, at the middle of the step, on its cells. */
  private applyWeather(r: ChainRun, mid: number): void {
    const weather = this.opts.weather!;
    const { weatherSpeed, weatherCapacity } = r.ctm;
    r.layout.segments.forEach((seg, j) => {
      const f = weather(seg, mid);
      for (const c of r.cellsOfSegment[j]) {
        weatherSpeed[c] = f.speed;
        weatherCapacity[c] = f.capacity;
      }
    });
  }
}

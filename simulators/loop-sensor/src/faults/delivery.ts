import type { Detection } from '@saferoads/shared';
import { Rng } from '../random/rng.js';
import type { DetectorFaults, FaultPlan } from './plan.js';

interface Pending {
  readonly d: Detection;
  /** Delivery instant, ms (true time). */
  readonly at: number;
  /** Tie-break: generation order. */
  readonly ord: number;
}

interface StuckState {
  speedKmh: number;
  lengthM: number;
  occupancyMs: number | undefined;
}

/**
 * Turns each step's generated records into what a collector would receive in that step.
 * Without faults that is the records in ts order. With faults each record gets a delivery
 * instant (its true passage time, plus a late delay, plus jitter) and waits in a bucket for
 * the step that contains that instant: memory is bounded by the records in flight.
 */
export class Delivery {
  private readonly buckets = new Map<number, Pending[]>();
  private ord = 0;
  private inFlight = 0;
  private readonly stuck = new Map<string, StuckState>();
  private readonly rngDup: Rng;
  private readonly rngJitter: Rng;
  private readonly rngLate: Rng;

  constructor(
    private readonly plan: FaultPlan | null,
    private readonly startMs: number,
    private readonly stepMs: number,
    seed: number,
  ) {
    this.rngDup = new Rng(seed, 'fault', 'duplicate');
    this.rngJitter = new Rng(seed, 'fault', 'jitter');
    this.rngLate = new Rng(seed, 'fault', 'late');
  }

  /** Records still waiting to be delivered. */
  get pending(): number {
    return this.inFlight;
  }

  /** Accepts step `step`'s generated records and returns that step's deliveries, in delivery order. */
  deliver(step: number, generated: Detection[]): Detection[] {
    const plan = this.plan;
    if (plan === null) return generated.sort(byTs);
    for (const d of generated) this.accept(plan, d);
    return this.take(step);
  }

  /** Deliveries of a step after traffic generation has ended (late and jittered records still arriving). */
  take(step: number): Detection[] {
    const b = this.buckets.get(step);
    if (!b) return [];
    this.buckets.delete(step);
    this.inFlight -= b.length;
    b.sort((x, y) => x.at - y.at || x.ord - y.ord);
    return b.map((p) => p.d);
  }

  private accept(plan: FaultPlan, d: Detection): void {
    const f = plan.byDetector.get(d.detectorId);
    const trueTs = d.ts;
    if (f && f.outages.length > 0 && inOutage(f, trueTs)) return;
    let rec = d;
    if (f && trueTs >= f.stuckFromMs) rec = this.freeze(d);
    if (f && f.skewMs !== 0) rec = { ...rec, ts: rec.ts + f.skewMs };
    const late = plan.late > 0 && this.rngLate.uniform() < plan.late ? plan.lateDelayMs : 0;
    const jitter = plan.reorderMs > 0 ? Math.floor(this.rngJitter.uniform() * plan.reorderMs) : 0;
    this.put(rec, trueTs + late + jitter);
    if (plan.duplicates > 0 && this.rngDup.uniform() < plan.duplicates) {
      // A retransmission: same record, same seq, its own trip through the network.
      const j2 = plan.reorderMs > 0 ? Math.floor(this.rngDup.uniform() * plan.reorderMs) : jitter;
      this.put({ ...rec }, trueTs + late + j2);
    }
  }

  private freeze(d: Detection): Detection {
    let s = this.stuck.get(d.detectorId);
    if (!s) {
      s = { speedKmh: d.speedKmh, lengthM: d.lengthM, occupancyMs: d.occupancyMs };
      this.stuck.set(d.detectorId, s);
    }
    const out: Detection = { ...d, speedKmh: s.speedKmh, lengthM: s.lengthM };
    if (s.occupancyMs !== undefined) out.occupancyMs = s.occupancyMs;
    return out;
  }

  private put(d: Detection, at: number): void {
    const step = Math.floor((at - this.startMs) / this.stepMs);
    let b = this.buckets.get(step);
    if (!b) {
      b = [];
      this.buckets.set(step, b);
    }
    b.push({ d, at, ord: this.ord++ });
    this.inFlight++;
  }
}

function byTs(a: Detection, b: Detection): number {
  return a.ts - b.ts;
}

function inOutage(f: DetectorFaults, ts: number): boolean {
  for (const [from, to] of f.outages) {
    if (ts < from) return false;
    if (ts < to) return true;
  }
  return false;
}

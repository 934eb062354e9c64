import type { ClosedWindow, PaneAggregator, SnapshotReader, SnapshotWriter } from '@saferoads/shared/runtime';
import type { TrafficStats, WindowName } from '@saferoads/shared/contracts';
import { SaferoadsError } from '@saferoads/shared/errors';
import { HistogramSlab, SPEED_BINS, speedBin } from './histogram.js';
import type { SegmentContext } from './segment-context.js';

/** One vehicle as the aggregator sees it: already mapped to a 0-based lane index. */
export interface VehicleObservation {
  laneIndex: number;
  speedKmh: number;
  lengthM: number;
  occupancyMs: number;
}

/** A pane is its number in a TrafficPanes slab; its record and its histogram follow from it. */
export type TrafficPane = number;

// Offsets of a pane's fields within its record. The first two are the segment's thresholds,
// copied in when the pane is prepared (a key's context is fixed), so that adding a vehicle touches
// only the pane's own cache lines; `reset` keeps them. Speed mean and variance use Welford's update
// and Chan's merge, which stay exact to rounding where sum-of-squares would not.
const SPEED_LIMIT = 0;
const TRUCK_MIN_LENGTH = 1;
const COUNT = 2;
const SPEED_MEAN = 3;
const SPEED_M2 = 4;
const INV_SPEED_SUM = 5;
const OVER_LIMIT = 6;
const TRUCKS = 7;
const OCCUPIED_MS = 8;
const GAP_COUNT = 9;
const GAP_SUM = 10;
const GAP_MIN = 11;
const GAP_UNDER_1 = 12;
const GAP_UNDER_2 = 13;
const LATE_COUNT = 14;
/** Lowest and highest non-empty histogram bin (SPEED_BINS and -1 when empty), so merging and
 * reading a histogram skip the bins no vehicle is in (most of 0..301 km/h). */
const BIN_LO = 15;
const BIN_HI = 16;
/** Per lane l: vehicle count at LANES + 2l, speed sum at LANES + 2l + 1. */
const LANES = 17;

const round = (x: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
};

/**
 * Mergeable statistics of one segment over one pane of event time, for every pane of a stage, as
 * fixed-size records in one Float64Array. Doubles in object fields are boxed by V8 (a pointer
 * chase per field, scattered over the heap); here a pane's fields sit side by side in a few
 * cache lines (184 bytes with three lanes), and a pane is a plain integer. Records are sized for
 * the widest segment; pane p's histogram is histogram p of the HistogramSlab.
 *
 * Methods take objects or integers where they can: doubles passed to a call V8 does not inline
 * are boxed, an allocation each.
 */
export class TrafficPanes implements PaneAggregator<TrafficPane, VehicleObservation, TrafficStats, SegmentContext> {
  /** Doubles per pane record. */
  readonly stride: number;
  readonly histograms: HistogramSlab;
  private f: Float64Array;
  private used = 0;

  constructor(
    readonly maxLanes: number,
    initialPanes = 64,
  ) {
    this.stride = LANES + 2 * maxLanes;
    const n = Math.max(1, initialPanes);
    this.f = new Float64Array(n * this.stride);
    this.histograms = new HistogramSlab(n);
  }

  get bytes(): number {
    return this.f.byteLength + this.histograms.bytes;
  }

  init(ctx: SegmentContext): TrafficPane {
    const p = this.reserve(1);
    this.prepare(p, ctx);
    return p;
  }

  /**
   * Sets aside n consecutive pane numbers, not yet prepared, and returns the first: a caller
   * that lays panes out itself (say, one ring slot of every segment side by side) numbers them.
   */
  reserve(n: number): TrafficPane {
    const first = this.used;
    this.used += n;
    if (this.used * this.stride > this.f.length) {
      // Growing by half keeps many small reservations cheap; a large one (a partition's whole
      // layout) gets exactly the room it needs.
      const grown = new Float64Array(Math.max(Math.ceil(this.f.length * 1.5), this.used * this.stride));
      grown.set(this.f);
      this.f = grown;
    }
    this.histograms.ensure(this.used);
    return first;
  }

  /** Makes reserved pane p an empty pane of the segment `ctx`. */
  prepare(p: TrafficPane, ctx: SegmentContext): void {
    if (ctx.lanes > this.maxLanes) {
      throw new SaferoadsError('STATE_INVARIANT', `segment ${ctx.segmentId} has ${ctx.lanes} lanes; panes hold at most ${this.maxLanes}`);
    }
    const o = p * this.stride;
    this.f[o + SPEED_LIMIT] = ctx.speedLimitKmh;
    this.f[o + TRUCK_MIN_LENGTH] = ctx.truckMinLengthM;
    this.reset(p);
  }

  reset(p: TrafficPane): void {
    const o = p * this.stride;
    const f = this.f;
    if (f[o + BIN_HI] >= 0) this.histograms.clear(p, f[o + BIN_LO], f[o + BIN_HI]);
    f.fill(0, o + COUNT, o + this.stride);
    f[o + GAP_MIN] = Number.POSITIVE_INFINITY;
    f[o + BIN_LO] = SPEED_BINS;
    f[o + BIN_HI] = -1;
  }

  /**
   * Reads the cache lines adding vehicle v to pane p will touch (one read per 64 bytes), and returns a
   * meaningless number: see TrafficStatsStage's warm-up.
   */
  peek(p: TrafficPane, v: { readonly speedKmh: number }): number {
    const o = p * this.stride;
    const f = this.f;
    return (f[o] + f[o + 8] + f[o + 16] + f[o + this.stride - 1] + this.histograms.get(p, speedBin(v.speedKmh))) | 0;
  }

  /** `ctx` is the pane's segment, whose thresholds the pane already holds. */
  add(p: TrafficPane, v: VehicleObservation, _ctx: SegmentContext): void {
    const f = this.f;
    const o = p * this.stride;
    const s = v.speedKmh;
    const n = f[o + COUNT] + 1;
    f[o + COUNT] = n;
    const delta = s - f[o + SPEED_MEAN];
    const mean = f[o + SPEED_MEAN] + delta / n;
    f[o + SPEED_MEAN] = mean;
    f[o + SPEED_M2] += delta * (s - mean);
    f[o + INV_SPEED_SUM] += 1 / s;
    if (s > f[o + SPEED_LIMIT]) f[o + OVER_LIMIT]++;
    if (v.lengthM >= f[o + TRUCK_MIN_LENGTH]) f[o + TRUCKS]++;
    f[o + OCCUPIED_MS] += v.occupancyMs;
    const l = o + LANES + 2 * v.laneIndex;
    f[l]++;
    f[l + 1] += s;
    const bin = speedBin(s);
    if (bin < f[o + BIN_LO]) f[o + BIN_LO] = bin;
    if (bin > f[o + BIN_HI]) f[o + BIN_HI] = bin;
    this.histograms.add(p, bin);
  }

  addGap(p: TrafficPane, gapS: number): void {
    const f = this.f;
    const o = p * this.stride;
    f[o + GAP_COUNT]++;
    f[o + GAP_SUM] += gapS;
    if (gapS < f[o + GAP_MIN]) f[o + GAP_MIN] = gapS;
    if (gapS < 1) f[o + GAP_UNDER_1]++;
    if (gapS < 2) f[o + GAP_UNDER_2]++;
  }

  addLate(p: TrafficPane): void {
    this.f[p * this.stride + LATE_COUNT]++;
  }

  /** True when nothing was added to pane p since it was reset. */
  isEmpty(p: TrafficPane): boolean {
    const o = p * this.stride;
    return this.f[o + COUNT] === 0 && this.f[o + GAP_COUNT] === 0 && this.f[o + LATE_COUNT] === 0;
  }

  /** Saves pane p: its record as is, then its histogram's non-empty bin range and counts. */
  save(p: TrafficPane, w: SnapshotWriter): void {
    const o = p * this.stride;
    w.f64s(this.f, o, this.stride);
    const lo = this.f[o + BIN_LO];
    const hi = this.f[o + BIN_HI];
    for (let b = lo; b <= hi; b++) w.u32(this.histograms.get(p, b));
  }

  /** Restores into pane p what save() wrote (of a pane with the same lanes and thresholds). */
  restore(p: TrafficPane, r: SnapshotReader): void {
    this.reset(p);
    const o = p * this.stride;
    r.f64s(this.f, o, this.stride);
    const lo = this.f[o + BIN_LO];
    const hi = this.f[o + BIN_HI];
    for (let b = lo; b <= hi; b++) {
      const n = r.u32();
      if (n > 0) this.histograms.add(p, b, n);
    }
  }

  merge(into: TrafficPane, from: TrafficPane): void {
    const f = this.f;
    const a = into * this.stride;
    const b = from * this.stride;
    const fromCount = f[b + COUNT];
    if (fromCount > 0) {
      const intoCount = f[a + COUNT];
      const n = intoCount + fromCount;
      const delta = f[b + SPEED_MEAN] - f[a + SPEED_MEAN];
      f[a + SPEED_MEAN] += (delta * fromCount) / n;
      f[a + SPEED_M2] += f[b + SPEED_M2] + (delta * delta * intoCount * fromCount) / n;
      f[a + COUNT] = n;
      f[a + INV_SPEED_SUM] += f[b + INV_SPEED_SUM];
      f[a + OVER_LIMIT] += f[b + OVER_LIMIT];
      f[a + TRUCKS] += f[b + TRUCKS];
      f[a + OCCUPIED_MS] += f[b + OCCUPIED_MS];
      for (let i = LANES; i < this.stride; i++) f[a + i] += f[b + i];
      const lo = f[b + BIN_LO];
      const hi = f[b + BIN_HI];
      this.histograms.merge(into, from, lo, hi);
      if (lo < f[a + BIN_LO]) f[a + BIN_LO] = lo;
      if (hi > f[a + BIN_HI]) f[a + BIN_HI] = hi;
    }
    if (f[b + GAP_COUNT] > 0) {
      f[a + GAP_COUNT] += f[b + GAP_COUNT];
      f[a + GAP_SUM] += f[b + GAP_SUM];
      if (f[b + GAP_MIN] < f[a + GAP_MIN]) f[a + GAP_MIN] = f[b + GAP_MIN];
      f[a + GAP_UNDER_1] += f[b + GAP_UNDER_1];
      f[a + GAP_UNDER_2] += f[b + GAP_UNDER_2];
    }
    f[a + LATE_COUNT] += f[b + LATE_COUNT];
  }

  result(p: TrafficPane, w: ClosedWindow, ctx: SegmentContext): TrafficStats {
    const f = this.f;
    const o = p * this.stride;
    const durationMs = w.endMs - w.startMs;
    const n = f[o + COUNT];
    const flow = (n * 3_600_000) / durationMs;
    const hasVehicles = n > 0;
    const mean = f[o + SPEED_MEAN];
    const std = Math.sqrt(Math.max(0, f[o + SPEED_M2]) / n);
    const harmonic = n / f[o + INV_SPEED_SUM];
    let laneSpread: number | null = null;
    if (hasVehicles) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let l = o + LANES; l < o + LANES + 2 * ctx.lanes; l += 2) {
        if (f[l] === 0) continue;
        const m = f[l + 1] / f[l];
        if (m < lo) lo = m;
        if (m > hi) hi = m;
      }
      laneSpread = hi - lo;
    }
    const gapCount = f[o + GAP_COUNT];
    const hasGaps = gapCount > 0;
    return {
      segmentId: ctx.segmentId,
      window: w.name as WindowName,
      windowStartMs: w.startMs,
      windowEndMs: w.endMs,
      count: n,
      flowVehH: round(flow, 1),
      meanSpeedKmh: hasVehicles ? round(mean, 3) : null,
      harmonicMeanSpeedKmh: hasVehicles ? round(harmonic, 3) : null,
      speedStdKmh: hasVehicles ? round(std, 3) : null,
      speedCv: hasVehicles ? round(std / mean, 5) : null,
      p85SpeedKmh: hasVehicles ? round(this.histograms.quantile(p, n, 0.85, f[o + BIN_LO], f[o + BIN_HI]) as number, 3) : null,
      shareOverLimit: hasVehicles ? round(f[o + OVER_LIMIT] / n, 5) : null,
      meanGapS: hasGaps ? round(f[o + GAP_SUM] / gapCount, 4) : null,
      minGapS: hasGaps ? round(f[o + GAP_MIN], 4) : null,
      shareGapUnder1s: hasGaps ? round(f[o + GAP_UNDER_1] / gapCount, 5) : null,
      shareGapUnder2s: hasGaps ? round(f[o + GAP_UNDER_2] / gapCount, 5) : null,
      occupancy: round(Math.min(1, f[o + OCCUPIED_MS] / (durationMs * ctx.lanes)), 5),
      truckShare: hasVehicles ? round(f[o + TRUCKS] / n, 5) : null,
      laneSpeedSpreadKmh: laneSpread === null ? null : round(laneSpread, 3),
      densityVehKm: hasVehicles ? round(flow / harmonic, 3) : 0,
      lateCount: f[o + LATE_COUNT],
    };
  }
}

import type { ClosedWindow, PaneAggregator } from '@saferoads/shared/runtime';
import type { TrafficStats, WindowName } from '@saferoads/shared/contracts';
import { type HistogramSlab, speedBin } from './histogram.js';
import type { SegmentContext } from './segment-context.js';

/** One vehicle as the aggregator sees it: already mapped to a 0-based lane index. */
export interface VehicleObservation {
  laneIndex: number;
  speedKmh: number;
  lengthM: number;
  occupancyMs: number;
}

/**
 * Mergeable statistics of one segment over one pane of event time. Speed mean and variance use
 * Welford's update and Chan's merge, which stay exact to rounding where sum-of-squares would not.
 */
export interface TrafficPane {
  count: number;
  speedMean: number;
  speedM2: number;
  invSpeedSum: number;
  overLimit: number;
  trucks: number;
  occupiedMs: number;
  gapCount: number;
  gapSum: number;
  gapMin: number;
  gapUnder1: number;
  gapUnder2: number;
  lateCount: number;
  /** Per lane: vehicle count at 2l, speed sum at 2l+1 (a plain array: packed doubles, no typed-array overhead). */
  readonly lanes: number[];
  /** Offset of this pane's speed histogram in the stage's HistogramSlab. */
  readonly hist: number;
}

export function addGap(p: TrafficPane, gapS: number): void {
  p.gapCount++;
  p.gapSum += gapS;
  if (gapS < p.gapMin) p.gapMin = gapS;
  if (gapS < 1) p.gapUnder1++;
  if (gapS < 2) p.gapUnder2++;
}

export function addLate(p: TrafficPane): void {
  p.lateCount++;
}

const round = (x: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
};

/** The traffic pane aggregator; its histograms live in `slab`. */
export function trafficAggregator(slab: HistogramSlab): PaneAggregator<TrafficPane, VehicleObservation, TrafficStats, SegmentContext> {
  return {
    init(ctx) {
      return {
        count: 0,
        speedMean: 0,
        speedM2: 0,
        invSpeedSum: 0,
        overLimit: 0,
        trucks: 0,
        occupiedMs: 0,
        gapCount: 0,
        gapSum: 0,
        gapMin: Number.POSITIVE_INFINITY,
        gapUnder1: 0,
        gapUnder2: 0,
        lateCount: 0,
        lanes: new Array<number>(2 * ctx.lanes).fill(0),
        hist: slab.alloc(),
      };
    },

    reset(p) {
      p.count = 0;
      p.speedMean = 0;
      p.speedM2 = 0;
      p.invSpeedSum = 0;
      p.overLimit = 0;
      p.trucks = 0;
      p.occupiedMs = 0;
      p.gapCount = 0;
      p.gapSum = 0;
      p.gapMin = Number.POSITIVE_INFINITY;
      p.gapUnder1 = 0;
      p.gapUnder2 = 0;
      p.lateCount = 0;
      p.lanes.fill(0);
      slab.clear(p.hist);
    },

    add(p, v, ctx) {
      const s = v.speedKmh;
      const n = ++p.count;
      const delta = s - p.speedMean;
      p.speedMean += delta / n;
      p.speedM2 += delta * (s - p.speedMean);
      p.invSpeedSum += 1 / s;
      if (s > ctx.speedLimitKmh) p.overLimit++;
      if (v.lengthM >= ctx.truckMinLengthM) p.trucks++;
      p.occupiedMs += v.occupancyMs;
      p.lanes[2 * v.laneIndex]++;
      p.lanes[2 * v.laneIndex + 1] += s;
      slab.add(p.hist, speedBin(s));
    },

    merge(into, from) {
      if (from.count > 0) {
        const n = into.count + from.count;
        const delta = from.speedMean - into.speedMean;
        into.speedMean += (delta * from.count) / n;
        into.speedM2 += from.speedM2 + (delta * delta * into.count * from.count) / n;
        into.count = n;
        into.invSpeedSum += from.invSpeedSum;
        into.overLimit += from.overLimit;
        into.trucks += from.trucks;
        into.occupiedMs += from.occupiedMs;
        for (let i = 0; i < into.lanes.length; i++) into.lanes[i] += from.lanes[i];
        slab.merge(into.hist, from.hist);
      }
      if (from.gapCount > 0) {
        into.gapCount += from.gapCount;
        into.gapSum += from.gapSum;
        if (from.gapMin < into.gapMin) into.gapMin = from.gapMin;
        into.gapUnder1 += from.gapUnder1;
        into.gapUnder2 += from.gapUnder2;
      }
      into.lateCount += from.lateCount;
    },

    result(p, w: ClosedWindow, ctx): TrafficStats {
      const durationMs = w.endMs - w.startMs;
      const n = p.count;
      const flow = (n * 3_600_000) / durationMs;
      const hasVehicles = n > 0;
      const mean = p.speedMean;
      const std = Math.sqrt(Math.max(0, p.speedM2) / n);
      const harmonic = n / p.invSpeedSum;
      let laneSpread: number | null = null;
      if (hasVehicles) {
        let lo = Number.POSITIVE_INFINITY;
        let hi = Number.NEGATIVE_INFINITY;
        for (let l = 0; l < p.lanes.length; l += 2) {
          if (p.lanes[l] === 0) continue;
          const m = p.lanes[l + 1] / p.lanes[l];
          if (m < lo) lo = m;
          if (m > hi) hi = m;
        }
        laneSpread = hi - lo;
      }
      const hasGaps = p.gapCount > 0;
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
        p85SpeedKmh: hasVehicles ? round(slab.quantile(p.hist, n, 0.85) as number, 3) : null,
        shareOverLimit: hasVehicles ? round(p.overLimit / n, 5) : null,
        meanGapS: hasGaps ? round(p.gapSum / p.gapCount, 4) : null,
        minGapS: hasGaps ? round(p.gapMin, 4) : null,
        shareGapUnder1s: hasGaps ? round(p.gapUnder1 / p.gapCount, 5) : null,
        shareGapUnder2s: hasGaps ? round(p.gapUnder2 / p.gapCount, 5) : null,
        occupancy: round(Math.min(1, p.occupiedMs / (durationMs * ctx.lanes)), 5),
        truckShare: hasVehicles ? round(p.trucks / n, 5) : null,
        laneSpeedSpreadKmh: laneSpread === null ? null : round(laneSpread, 3),
        densityVehKm: hasVehicles ? round(flow / harmonic, 3) : 0,
        lateCount: p.lateCount,
      };
    },
  };
}

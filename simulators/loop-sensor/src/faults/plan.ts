import { Rng } from '../random/rng.js';
import type { FaultOptions } from '../types.js';

export const DEFAULT_LATE_DELAY_S = 120;

/** Where a detector sits: its controller (one per segment) owns the clock. */
export interface DetectorRef {
  readonly detectorId: string;
  readonly controllerId: string;
}

/** Per-detector fault state, fixed at the start of a run. */
export interface DetectorFaults {
  /** Sorted, disjoint [from, to) outage intervals (true time, ms). */
  readonly outages: readonly (readonly [number, number])[];
  /** From this instant on the loop repeats one vehicle's values; Infinity if it never sticks. */
  readonly stuckFromMs: number;
  readonly skewMs: number;
}

export interface FaultPlan {
  readonly byDetector: ReadonlyMap<string, DetectorFaults>;
  readonly duplicates: number;
  readonly reorderMs: number;
  readonly late: number;
  readonly lateDelayMs: number;
}

export function hasFaults(f: FaultOptions | undefined): boolean {
  if (!f) return false;
  return (
    (f.dropouts ?? 0) > 0 ||
    (f.stuck ?? 0) > 0 ||
    (f.duplicates ?? 0) > 0 ||
    (f.reorderS ?? 0) > 0 ||
    (f.late ?? 0) > 0 ||
    (f.clockSkewS ?? 0) > 0
  );
}

/** Outages of a few minutes: the first within the first 20 minutes (so short runs show one), then every ~half hour. */
function outagesFor(rng: Rng, startMs: number, endMs: number): [number, number][] {
  const out: [number, number][] = [];
  let t = startMs + rng.between(0, Math.min(20 * 60_000, (endMs - startMs) / 2));
  while (t < endMs) {
    const to = t + rng.between(2, 8) * 60_000;
    out.push([Math.floor(t), Math.floor(to)]);
    t = to + 5 * 60_000 + rng.exponential(25 * 60_000);
  }
  return out;
}

/**
 * Draws which detectors fail, when, and each controller's clock error: one stream per fault kind,
 * so enabling one never moves another.
 */
export function planFaults(
  f: FaultOptions,
  detectors: readonly DetectorRef[],
  seed: number,
  startMs: number,
  endMs: number,
): FaultPlan {
  const ids = detectors.map((d) => d.detectorId);
  const drop = new Set<string>();
  if ((f.dropouts ?? 0) > 0 && ids.length > 0) {
    const n = Math.max(1, Math.round(f.dropouts! * ids.length));
    for (const id of new Rng(seed, 'fault', 'dropout-pick').shuffled(ids).slice(0, n)) drop.add(id);
  }
  const stuckAt = new Map<string, number>();
  if ((f.stuck ?? 0) > 0) {
    const rng = new Rng(seed, 'fault', 'stuck');
    for (const id of rng.shuffled(ids).slice(0, f.stuck)) {
      stuckAt.set(id, Math.floor(startMs + rng.between(0.1, 0.5) * (endMs - startMs)));
    }
  }
  const skews = new Map<string, number>();
  const skewMax = (f.clockSkewS ?? 0) * 1000;
  if (skewMax > 0) {
    const rng = new Rng(seed, 'fault', 'skew');
    for (const d of detectors) {
      if (!skews.has(d.controllerId)) skews.set(d.controllerId, Math.round(rng.between(-skewMax, skewMax)));
    }
  }
  const byDetector = new Map<string, DetectorFaults>();
  for (const d of detectors) {
    byDetector.set(d.detectorId, {
      outages: drop.has(d.detectorId)
        ? outagesFor(new Rng(seed, 'fault', 'dropout', d.detectorId), startMs, endMs)
        : [],
      stuckFromMs: stuckAt.get(d.detectorId) ?? Number.POSITIVE_INFINITY,
      skewMs: skews.get(d.controllerId) ?? 0,
    });
  }
  return {
    byDetector,
    duplicates: f.duplicates ?? 0,
    reorderMs: (f.reorderS ?? 0) * 1000,
    late: f.late ?? 0,
    lateDelayMs: (f.lateDelayS ?? DEFAULT_LATE_DELAY_S) * 1000,
  };
}

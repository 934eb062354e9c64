import type { Detection } from '@saferoads/shared';
import type { Network, Segment } from '@saferoads/shared/network';

/** A lane closure or crash on one segment: its capacity drops for the duration. */
export interface Incident {
  readonly segmentId: string;
  readonly startMs: number;
  readonly durationMin: number;
  /** 0 = vehicle on the hard shoulder (rubbernecking only). Defaults to 1. */
  readonly lanesBlocked?: number;
}

/** Detector and transmission faults; each is off unless set. They change what is delivered, never the traffic. */
export interface FaultOptions {
  /** Share (0..1) of detectors that drop out for a few minutes at a time; their records are lost (seq numbers skip). */
  readonly dropouts?: number;
  /** Number of detectors whose loop freezes: from a random moment on, every vehicle gets the same speed and length. */
  readonly stuck?: number;
  /** Share (0..1) of records sent twice with the same seq. */
  readonly duplicates?: number;
  /** Maximum delivery jitter, s: delivery order is shuffled, but never by more than this. */
  readonly reorderS?: number;
  /** Share (0..1) of records delivered late. */
  readonly late?: number;
  /** How late, s (default 120). */
  readonly lateDelayS?: number;
  /** Maximum controller clock error, s: each controller gets a fixed skew in [-max, +max] added to its ts. */
  readonly clockSkewS?: number;
}

/** What the weather does to one segment's traffic: multipliers of its free-flow speed and its capacity (1 = dry, clear). */
export interface WeatherFactors {
  readonly speed: number;
  readonly capacity: number;
}

/**
 * The weather's effect on traffic, asked per segment at the middle of every step (and of the
 * warm-up), in increasing time. Must be deterministic for the run to be.
 */
export type WeatherInput = (segment: Segment, tMs: number) => WeatherFactors;

export interface LoopSimulatorOptions {
  readonly network: Network;
  readonly seed: number;
  /** Simulated start, epoch ms. */
  readonly startMs: number;
  readonly minutes: number;
  /** Model and batch step, ms (default 5000). */
  readonly stepMs?: number;
  readonly incidents?: readonly Incident[];
  readonly faults?: FaultOptions;
  /** Adds each vehicle's true gap to the one ahead (gapS); off by default, as real controllers rarely send it. */
  readonly withGaps?: boolean;
  /** Multiplies all demand (default 1): 1.3 turns a busy day into a congested one. */
  readonly demandFactor?: number;
  /** Weather effects on speed and capacity (e.g. the weather simulator's); none when absent. */
  readonly weather?: WeatherInput;
}

/** One step's deliveries. Every later batch holds only deliveries at or after untilMs. */
export interface DetectionBatch {
  /** The step's start (simulated epoch ms). */
  readonly fromMs: number;
  /** The step's end. */
  readonly untilMs: number;
  readonly detections: Detection[];
}

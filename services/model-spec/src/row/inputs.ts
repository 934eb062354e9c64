import type { TrafficStats } from '@saferoads/shared/contracts';

/** A segment's records of one minute, by window; absent or null where not (yet) there. */
export interface WindowRecords {
  readonly '1m'?: TrafficStats | null;
  readonly '10m'?: TrafficStats | null;
}

/** Everything a feature row of one segment-minute is built from. */
export interface SegmentMinuteInputs {
  readonly own: WindowRecords;
  /** One entry per upstream neighbour the network gives the segment (empty at a carriageway's start). */
  readonly upstream: readonly WindowRecords[];
  /** One entry per downstream neighbour (empty at a carriageway's end). */
  readonly downstream: readonly WindowRecords[];
  /** The segment's context features in CONTEXT_FEATURES order, from `contextOffset` (a ContextFeatureAssembler row). */
  readonly context?: ArrayLike<number>;
  readonly contextOffset?: number;
}

/** Where a row is written: a model's input tensor, or a plain array. */
export type RowTarget = Float32Array | Float64Array | number[];

/**
 * Writes one row at `out[offset .. offset + width)`; features whose source has no value take
 * their default, and `missing[k]` (when given) is 1 for those, 0 for the rest. Returns how many
 * took their default.
 */
export type RowWriter = (x: SegmentMinuteInputs, out: RowTarget, offset: number, missing?: Uint8Array) => number;

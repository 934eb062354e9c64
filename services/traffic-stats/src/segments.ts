import type { SegmentContext } from './segment-context.js';

/**
 * Per-segment tables, indexed by the segment's position in the network. A detector is numbered
 * segment * maxLanes + lane index, so its segment and lane follow by arithmetic and every piece
 * of per-detector state is a slot in a flat array: after the one map lookup by detector id, an
 * event touches only typed arrays, never a chain of objects.
 */
export class Segments {
  readonly ctx: SegmentContext[] = [];
  /** Input partition of each segment (as partitionOf said: doubles, so no value is coerced). */
  readonly partition: Float64Array;
  /** Position of each segment among its partition's segments, in network order. */
  readonly indexInPartition: Int32Array;
  private readonly partitionSizes = new Map<number, number>();

  constructor(
    readonly maxLanes: number,
    partitions: readonly number[],
  ) {
    this.partition = Float64Array.from(partitions);
    this.indexInPartition = new Int32Array(partitions.length);
    partitions.forEach((p, s) => {
      const n = this.partitionSizes.get(p) ?? 0;
      this.indexInPartition[s] = n;
      this.partitionSizes.set(p, n + 1);
    });
  }

  /** Number of segments on input partition p. */
  sizeOf(p: number): number {
    return this.partitionSizes.get(p) ?? 0;
  }

  segmentOf(detector: number): number {
    return Math.floor(detector / this.maxLanes);
  }

  laneOf(detector: number): number {
    return detector - this.segmentOf(detector) * this.maxLanes;
  }
}

/** What the traffic aggregator needs to know about a segment; fixed for the segment's lifetime. */
export interface SegmentContext {
  readonly segmentId: string;
  readonly lanes: number;
  readonly speedLimitKmh: number;
  /** Vehicles at least this long count as trucks. */
  readonly truckMinLengthM: number;
}

import type { Network, Segment } from '@saferoads/shared/network';

export interface TinySegment {
  id: string;
  lanes: number;
  speedLimitKmh: number;
}

/** A straight-line network for tests: detector ids are `<segmentId>-L<lane>`. */
export function tinyNetwork(specs: readonly TinySegment[]): Network {
  const segments: Segment[] = specs.map((s, index) => ({
    id: s.id,
    index,
    props: {
      segmentId: s.id,
      direction: 'southbound',
      lanes: s.lanes,
      speedLimitKmh: s.speedLimitKmh,
      timezone: 'Europe/Vienna',
      country: 'AT',
      detectors: Array.from({ length: s.lanes }, (_, i) => ({ detectorId: `${s.id}-L${i + 1}`, lane: i + 1 })),
    },
    coordinates: [
      [11.4, 47.2 - index * 0.01],
      [11.4, 47.2 - (index + 1) * 0.01],
    ],
    lengthM: 1112,
    upstream: index > 0 ? [specs[index - 1].id] : [],
    downstream: index < specs.length - 1 ? [specs[index + 1].id] : [],
    ramps: [],
  }));
  const detectors = new Map(
    segments.flatMap((s) =>
      s.props.detectors.map((d) => [d.detectorId, { detectorId: d.detectorId, segmentId: s.id, segmentIndex: s.index, lane: d.lane }] as const),
    ),
  );
  return { name: 'tiny', segments, byId: new Map(segments.map((s) => [s.id, s])), detectors, ramps: [] };
}

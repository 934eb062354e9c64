import type { RampProperties, SegmentProperties } from '../contracts/segment.js';

/** [lon, lat] or [lon, lat, elevationM], as in GeoJSON. */
export type Position = [number, number] | [number, number, number];

export interface Segment {
  readonly id: string;
  /** Position of this segment in Network.segments; stable for a given file. */
  readonly index: number;
  readonly props: SegmentProperties;
  readonly coordinates: readonly Position[];
  /** Geodesic length of the LineString in metres. */
  readonly lengthM: number;
  /** Segments whose downstream end meets this one's upstream end, same carriageway. */
  readonly upstream: readonly string[];
  /** Segments whose upstream end meets this one's downstream end, same carriageway. */
  readonly downstream: readonly string[];
  /** Ramps attached to this segment. */
  readonly ramps: readonly Ramp[];
}

export interface Ramp {
  readonly id: string;
  readonly props: RampProperties;
  readonly coordinates: readonly Position[];
  readonly lengthM: number;
}

export interface DetectorLocation {
  readonly detectorId: string;
  readonly segmentId: string;
  readonly segmentIndex: number;
  readonly lane: number;
}

export interface Network {
  readonly name: string;
  readonly segments: readonly Segment[];
  readonly byId: ReadonlyMap<string, Segment>;
  readonly detectors: ReadonlyMap<string, DetectorLocation>;
  readonly ramps: readonly Ramp[];
}

import { destination } from '@turf/turf';
import { parseNetwork, type Network, type Position } from '@saferoads/shared/network';

export interface TestSegment {
  id: string;
  /** Entry point [lon, lat]. */
  from: [number, number];
  /** Compass bearing of travel, degrees. */
  headingDeg: number;
  lengthM: number;
  /** Vertices, evenly spaced (at least 2). */
  vertices?: number;
  direction?: string;
  lanes?: number;
  timezone?: string;
  country?: string;
  region?: string;
  structure?: 'tunnel' | 'bridge';
  area?: 'urban' | 'rural';
  surfaceQuality?: number;
  /** Elevation at entry and exit, m (linear in between). */
  elevationM?: [number, number];
}

/** Positions along a geodesic from `from`, `lengthM` long, with `vertices` evenly spaced vertices. */
export function straightLine(from: [number, number], headingDeg: number, lengthM: number, vertices = 2, elevationM?: [number, number]): Position[] {
  return Array.from({ length: vertices }, (_, k) => {
    const f = k / (vertices - 1);
    const [lon, lat] = k === 0 ? from : destination(from, lengthM * f, headingDeg, { units: 'meters' }).geometry.coordinates;
    return elevationM ? ([lon, lat, elevationM[0] + f * (elevationM[1] - elevationM[0])] as Position) : ([lon, lat] as Position);
  });
}

/** The end point of a test segment. */
export function endOf(s: TestSegment): [number, number] {
  const [lon, lat] = destination(s.from, s.lengthM, s.headingDeg, { units: 'meters' }).geometry.coordinates;
  return [lon, lat];
}

/** A point `alongM` into a straight test segment. */
export function pointAlong(s: TestSegment, alongM: number): [number, number] {
  const [lon, lat] = destination(s.from, alongM, s.headingDeg, { units: 'meters' }).geometry.coordinates;
  return [lon, lat];
}

export function segmentFeature(s: TestSegment): object {
  return {
    type: 'Feature',
    properties: {
      segmentId: s.id,
      direction: s.direction ?? 'northbound',
      lanes: s.lanes ?? 2,
      speedLimitKmh: 100,
      timezone: s.timezone ?? 'Europe/Vienna',
      country: s.country ?? 'AT',
      ...(s.region !== undefined ? { region: s.region } : {}),
      ...(s.structure !== undefined ? { structure: s.structure } : {}),
      ...(s.area !== undefined ? { area: s.area } : {}),
      ...(s.surfaceQuality !== undefined ? { surfaceQuality: s.surfaceQuality } : {}),
      detectors: [],
    },
    geometry: { type: 'LineString', coordinates: straightLine(s.from, s.headingDeg, s.lengthM, s.vertices ?? 2, s.elevationM) },
  };
}

/** A ramp on `segmentId` meeting the mainline at `at`, 200 m long, leaving (off) or joining (on) it. */
export function rampFeature(rampId: string, kind: 'on' | 'off', segmentId: string, at: [number, number]): object {
  const away = destination(at, 200, 90, { units: 'meters' }).geometry.coordinates;
  return {
    type: 'Feature',
    properties: { rampId, kind, segmentId },
    geometry: { type: 'LineString', coordinates: kind === 'off' ? [at, away] : [away, at] },
  };
}

export function testNetwork(features: object[]): Network {
  return parseNetwork({ type: 'FeatureCollection', name: 'test', features }, 'test');
}

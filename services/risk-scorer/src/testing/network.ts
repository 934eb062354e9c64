import { parseNetwork, type Network } from '@saferoads/shared/network';

/** A segment of a test network: `from` and `to` are [lon, lat] points; segments meeting end to start are neighbours. */
export interface TestSegment {
  readonly id: string;
  readonly from: readonly [number, number];
  readonly to: readonly [number, number];
  readonly direction?: string;
}

/** The network file (GeoJSON) of LineStrings: what a service reads with NETWORK_FILE. */
export function testNetworkGeoJson(segments: readonly TestSegment[]) {
  return {
    type: 'FeatureCollection',
    name: 'risk-scorer-test',
    features: segments.map((s) => ({
      type: 'Feature',
      properties: {
        segmentId: s.id,
        direction: s.direction ?? 'southbound',
        lanes: 2,
        speedLimitKmh: 100,
        timezone: 'Europe/Vienna',
        country: 'AT',
        detectors: [],
      },
      geometry: { type: 'LineString', coordinates: [[...s.from], [...s.to]] },
    })),
  };
}

/** A network parsed from LineStrings (topology derived as for a real network file). */
export function testNetwork(segments: readonly TestSegment[]): Network {
  return parseNetwork(testNetworkGeoJson(segments), 'risk-scorer-test');
}

/** The segments of chainNetwork: one after another along a meridian, about 1.1 km each. */
export function chainSegments(ids: readonly string[]): TestSegment[] {
  return ids.map((id, i) => ({ id, from: [11.4, 47.3 - i * 0.01], to: [11.4, 47.3 - (i + 1) * 0.01] }));
}

/** Segments one after another along a meridian, about 1.1 km each: ids[0] is the carriageway's start. */
export function chainNetwork(ids: readonly string[]): Network {
  return testNetwork(chainSegments(ids));
}

/**
 * A merge: A and B (from the north-west and north-east) both feed M, which feeds D.
 * Upstream of M: [A, B]; downstream of M: [D].
 */
export function mergeNetwork(): Network {
  const m: [number, number] = [11.4, 47.29];
  return testNetwork([
    { id: 'A', from: [11.39, 47.3], to: m },
    { id: 'B', from: [11.41, 47.3], to: m },
    { id: 'M', from: m, to: [11.4, 47.28] },
    { id: 'D', from: [11.4, 47.28], to: [11.4, 47.27] },
  ]);
}

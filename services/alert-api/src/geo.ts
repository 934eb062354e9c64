import along from '@turf/along';
import distance from '@turf/distance';
import { lineString, point } from '@turf/helpers';
import type { WeatherObservation } from '@saferoads/shared/contracts';
import type { Network, Segment } from '@saferoads/shared/network';
import type { SegmentGeo } from './store/store.js';

/** A segment's bounding box and the point halfway along it. */
export function segmentGeo(s: Segment): SegmentGeo {
  let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of s.coordinates) {
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  }
  const line = lineString(s.coordinates.map(([lon, lat]) => [lon, lat]));
  const [midLon, midLat] = along(line, s.lengthM / 2, { units: 'meters' }).geometry.coordinates;
  return { bbox: [minLon, minLat, maxLon, maxLat], mid: [midLon, midLat] };
}

/** Every segment's SegmentGeo, computed once. */
export function networkGeo(network: Network): ReadonlyMap<string, SegmentGeo> {
  return new Map(network.segments.map((s) => [s.id, segmentGeo(s)]));
}

/** The observation of the station nearest to `at` within `radiusKm`, with its distance; null when none is. */
export function nearestStation(at: readonly [number, number], stations: readonly WeatherObservation[], radiusKm: number): (WeatherObservation & { distanceKm: number }) | null {
  let best: (WeatherObservation & { distanceKm: number }) | null = null;
  const here = point([at[0], at[1]]);
  for (const o of stations) {
    const d = distance(here, point([o.lon, o.lat]), { units: 'kilometers' });
    if (d <= radiusKm && (best === null || d < best.distanceKm)) best = { ...o, distanceKm: Math.round(d * 1000) / 1000 };
  }
  return best;
}

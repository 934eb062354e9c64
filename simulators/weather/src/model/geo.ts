import { distance } from '@turf/distance';
import type { Network, Position, Segment } from '@saferoads/shared/network';

/** A place the weather is evaluated at: a station, or the middle of a segment. */
export interface Site {
  readonly lat: number;
  readonly lon: number;
  /** Metres above sea level; undefined where the network has no elevations. */
  readonly elevationM?: number;
}

/** A point in km east (x) and north (y) of the network's centre. */
export interface Km {
  readonly x: number;
  readonly y: number;
}

/**
 * An equirectangular projection about the centre of the network's bounding box: plenty for
 * weather systems tens of kilometres across over a regional network (the error at 200 km from the
 * centre is well under 1 %).
 */
export class Projection {
  readonly lat0: number;
  readonly lon0: number;
  private readonly kmPerLon: number;
  private static readonly KM_PER_LAT = 110.574;

  constructor(network: Network) {
    let minLat = Infinity;
    let maxLat = -Infinity;
    let minLon = Infinity;
    let maxLon = -Infinity;
    for (const s of network.segments) {
      for (const [lon, lat] of s.coordinates) {
        minLat = Math.min(minLat, lat);
        maxLat = Math.max(maxLat, lat);
        minLon = Math.min(minLon, lon);
        maxLon = Math.max(maxLon, lon);
      }
    }
    if (!Number.isFinite(minLat)) throw new RangeError(`network ${network.name} has no coordinates`);
    this.lat0 = (minLat + maxLat) / 2;
    this.lon0 = (minLon + maxLon) / 2;
    this.kmPerLon = 111.32 * Math.cos((this.lat0 * Math.PI) / 180);
  }

  toKm(site: Pick<Site, 'lat' | 'lon'>): Km {
    return { x: (site.lon - this.lon0) * this.kmPerLon, y: (site.lat - this.lat0) * Projection.KM_PER_LAT };
  }
}

/** The point a fraction of the way along a polyline (by geodesic length), with its interpolated elevation. */
export function pointAlong(coords: readonly Position[], fraction: number): Site {
  if (coords.length === 1) return siteOf(coords[0], coords[0], 0);
  const legs = coords.slice(1).map((c, i) => distance([coords[i][0], coords[i][1]], [c[0], c[1]], { units: 'kilometers' }));
  const total = legs.reduce((a, b) => a + b, 0);
  let target = Math.min(1, Math.max(0, fraction)) * total;
  for (let i = 0; i < legs.length; i++) {
    if (target <= legs[i] || i === legs.length - 1) return siteOf(coords[i], coords[i + 1], legs[i] > 0 ? Math.min(1, target / legs[i]) : 0);
    target -= legs[i];
  }
  return siteOf(coords[0], coords[0], 0);
}

function siteOf(a: Position, b: Position, f: number): Site {
  const lon = a[0] + (b[0] - a[0]) * f;
  const lat = a[1] + (b[1] - a[1]) * f;
  const ea = a[2];
  const eb = b[2];
  return { lat, lon, ...(ea !== undefined && eb !== undefined && { elevationM: ea + (eb - ea) * f }) };
}

/** Where a segment's weather is evaluated: half-way along it. */
export function segmentSite(segment: Segment): Site {
  return pointAlong(segment.coordinates, 0.5);
}

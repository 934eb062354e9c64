import { orderedChains, type Network } from '@saferoads/shared/network';
import type { Projection } from './geo.js';
import { segmentSite, type Site } from './geo.js';

/** A simulated road weather station: at the middle of a segment, named after it. */
export interface Station extends Site {
  readonly stationId: string;
  readonly segmentId: string;
}

/** About one station every 8 km of motorway, as road authorities space their road weather stations (more on passes and bridges). */
export const DEFAULT_STATION_SPACING_KM = 8;

/**
 * Stations along the network, deterministic for a network and a spacing: walking each carriageway
 * in driving order (orderedChains), a station at the first segment and then at the first segment
 * at least `spacingKm` further on; one that would stand within half a spacing of an existing
 * station (the other carriageway, a parallel road) is left out. Ids are `WS-<segmentId>`.
 */
export function placeStations(network: Network, projection: Projection, spacingKm = DEFAULT_STATION_SPACING_KM): Station[] {
  if (!(spacingKm > 0)) throw new RangeError(`station spacing must be > 0 km, got ${spacingKm}`);
  const stations: Station[] = [];
  const near = (site: Site) => {
    const p = projection.toKm(site);
    return stations.some((s) => {
      const q = projection.toKm(s);
      return Math.hypot(p.x - q.x, p.y - q.y) < spacingKm / 2;
    });
  };
  for (const chain of orderedChains(network)) {
    let since = Infinity;
    for (const seg of chain) {
      since += seg.lengthM / 1000 / 2;
      if (since >= spacingKm) {
        const site = segmentSite(seg);
        if (!near(site)) {
          stations.push({ stationId: `WS-${seg.id}`, segmentId: seg.id, ...site });
          since = 0;
        }
      }
      since += seg.lengthM / 1000 / 2;
    }
  }
  return stations;
}

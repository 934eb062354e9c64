import { bbox } from '@turf/bbox';
import { distance } from '@turf/distance';
import { lineString, point } from '@turf/helpers';
import { pointToLineDistance } from '@turf/point-to-line-distance';
import type { Network } from '@saferoads/shared/network';
import type { LatLon } from '../config.js';

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/**
 * The default points to poll: the centres of a square grid of `spacingKm` over the network's
 * bounding box, kept where a segment passes within half a cell diagonal (so cells the road does
 * not cross are not polled), rounded to 4 decimals (11 m) so station ids stay stable. A network
 * smaller than one cell gets the one centre. Deterministic for a network and a spacing.
 */
export function networkGrid(network: Network, spacingKm: number): LatLon[] {
  const lines = network.segments.filter((s) => s.coordinates.length >= 2).map((s) => lineString(s.coordinates.map((c) => [c[0], c[1]])));
  if (lines.length === 0) return [];
  const [minLon, minLat, maxLon, maxLat] = bbox({ type: 'FeatureCollection', features: lines });
  const midLat = (minLat + maxLat) / 2;
  const widthKm = distance([minLon, midLat], [maxLon, midLat], { units: 'kilometers' });
  const heightKm = distance([minLon, minLat], [minLon, maxLat], { units: 'kilometers' });
  const nx = Math.max(1, Math.ceil(widthKm / spacingKm));
  const ny = Math.max(1, Math.ceil(heightKm / spacingKm));
  const reach = (spacingKm * Math.SQRT2) / 2;
  const out: LatLon[] = [];
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const lat = minLat + ((j + 0.5) * (maxLat - minLat)) / ny;
      const lon = minLon + ((i + 0.5) * (maxLon - minLon)) / nx;
      const p = point([lon, lat]);
      if (nx * ny === 1 || lines.some((l) => pointToLineDistance(p, l, { units: 'kilometers' }) <= reach)) out.push({ lat: round4(lat), lon: round4(lon) });
    }
  }
  return out;
}

import { along, buffer, distance, length, lineString } from '@turf/turf';
import { SaferoadsError } from '@saferoads/shared/errors';
import type { Position } from '@saferoads/shared/network';

/** Five decimals of a degree: about a metre, finer than any segment's geometry. */
const DECIMALS = 5;

function round(v: number): string {
  // toFixed keeps trailing zeros, so the text of a coordinate does not depend on its value.
  return v.toFixed(DECIMALS);
}

function line(coordinates: readonly Position[]) {
  const pts = coordinates.map((p) => [p[0], p[1]]);
  if (pts.length < 2) throw new SaferoadsError('RECORD_INVALID', `a segment's line needs at least 2 positions, got ${pts.length}`);
  return lineString(pts);
}

/**
 * CAP `polygon`: the segment's line widened by `bufferM` on each side (a line has no area, and CAP
 * areas are polygons or circles), as space-separated `lat,lon` pairs in WGS 84, the first pair
 * repeated at the end (CAP 1.2, 3.3.2.1). `steps` points per quarter circle round the ends.
 */
export function capPolygon(coordinates: readonly Position[], bufferM: number, steps = 4): string {
  const poly = buffer(line(coordinates), bufferM, { units: 'meters', steps });
  if (!poly || poly.geometry.type !== 'Polygon') throw new SaferoadsError('STATE_INVARIANT', 'buffering a segment line did not give one polygon');
  const pairs: string[] = [];
  for (const [lon, lat] of poly.geometry.coordinates[0]) {
    const pair = `${round(lat)},${round(lon)}`;
    if (pairs[pairs.length - 1] !== pair) pairs.push(pair);
  }
  if (pairs[0] !== pairs[pairs.length - 1]) pairs.push(pairs[0]);
  if (pairs.length < 4) throw new SaferoadsError('STATE_INVARIANT', `a CAP polygon needs at least 4 pairs, the buffer gave ${pairs.length}`);
  return pairs.join(' ');
}

/**
 * CAP `circle`: `lat,lon radius` with the radius in km, centred halfway along the line, reaching
 * every vertex plus `bufferM` (rounded up to 10 m).
 */
export function capCircle(coordinates: readonly Position[], bufferM: number): string {
  const l = line(coordinates);
  const centre = along(l, length(l, { units: 'meters' }) / 2, { units: 'meters' });
  let reach = 0;
  for (const p of l.geometry.coordinates) reach = Math.max(reach, distance(centre, p, { units: 'meters' }));
  const radiusKm = Math.ceil((reach + bufferM) / 10) / 100;
  const [lon, lat] = centre.geometry.coordinates;
  return `${round(lat)},${round(lon)} ${radiusKm.toFixed(2)}`;
}

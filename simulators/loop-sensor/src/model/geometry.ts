import type { Position } from '@saferoads/shared/network';

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

export function haversineM(a: Position, b: Position): number {
  const dLat = (b[1] - a[1]) * RAD;
  const dLon = (b[0] - a[0]) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Distance from the first vertex to each vertex, scaled so the last equals lengthM (the network's own length wins). */
export function cumulativeM(coords: readonly Position[], lengthM: number): number[] {
  const out = [0];
  for (let i = 1; i < coords.length; i++) out.push(out[i - 1] + haversineM(coords[i - 1], coords[i]));
  const total = out[out.length - 1];
  const scale = total > 0 ? lengthM / total : 0;
  return out.map((d, i) => (total > 0 ? d * scale : (lengthM * i) / Math.max(1, coords.length - 1)));
}

/** Elevation at distance d along the line, or undefined when the line has no elevations. */
export function elevationAt(coords: readonly Position[], cum: readonly number[], d: number): number | undefined {
  if (coords.length === 0 || coords.some((c) => c.length < 3)) return undefined;
  const ele = (i: number) => (coords[i] as [number, number, number])[2];
  if (d <= 0 || coords.length === 1) return ele(0);
  for (let i = 1; i < coords.length; i++) {
    if (d <= cum[i]) {
      const span = cum[i] - cum[i - 1];
      const f = span > 0 ? (d - cum[i - 1]) / span : 0;
      return ele(i - 1) + f * (ele(i) - ele(i - 1));
    }
  }
  return ele(coords.length - 1);
}

/** Fraction 0..1 along the line of the point on it nearest to p (local equirectangular projection). */
export function projectFraction(coords: readonly Position[], cum: readonly number[], p: Position): number {
  const total = cum[cum.length - 1];
  if (coords.length < 2 || total <= 0) return 0;
  const kx = Math.cos(p[1] * RAD);
  let best = Infinity;
  let bestD = 0;
  for (let i = 1; i < coords.length; i++) {
    const ax = coords[i - 1][0] * kx;
    const ay = coords[i - 1][1];
    const bx = coords[i][0] * kx - ax;
    const by = coords[i][1] - ay;
    const px = p[0] * kx - ax;
    const py = p[1] - ay;
    const len2 = bx * bx + by * by;
    const f = len2 > 0 ? Math.max(0, Math.min(1, (px * bx + py * by) / len2)) : 0;
    const dx = px - f * bx;
    const dy = py - f * by;
    const dist = dx * dx + dy * dy;
    if (dist < best) {
      best = dist;
      bestD = cum[i - 1] + f * (cum[i] - cum[i - 1]);
    }
  }
  return bestD / total;
}

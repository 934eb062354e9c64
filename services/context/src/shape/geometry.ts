import { along, bearing, distance, lineString } from '@turf/turf';
import type { Position } from '@saferoads/shared/network';

/** Turns smaller than this (degrees) are floating-point noise on a straight (great-circle) line. */
const STRAIGHT_TURN_DEG = 1e-6;

export interface Curvature {
  /** Sum of the absolute turning angles at the (thinned) vertices per km of line, deg/km. */
  degPerKm: number;
  /** Smallest circumradius of consecutive (thinned) vertex triples, capped at `maxRadiusM`, m. */
  minRadiusM: number;
}

/** Compass bearing in [0, 360) degrees. */
export function compassDeg(deg: number): number {
  const b = deg % 360;
  return b < 0 ? b + 360 : b;
}

/** Signed turn from one compass direction to another, in (-180, 180] degrees; positive is right. */
export function turnDeg(fromDeg: number, toDeg: number): number {
  const t = compassDeg(toDeg - fromDeg);
  return t > 180 ? t - 360 : t;
}

/**
 * The vertices curvature is measured on: the first, then each next vertex at least `minArmM`
 * (geodesic) after the last one kept, and the last (which replaces the last kept one, unless that
 * is the first, when it comes closer than `minArmM`). Dense vertices with survey jitter would
 * otherwise show tight radii that are not there.
 */
export function thinVertices(coords: readonly Position[], minArmM: number): Position[] {
  const arm = Math.max(minArmM, 1e-6); // duplicate vertices never make an arm
  const kept: Position[] = [coords[0]];
  const last = coords.length - 1;
  for (let i = 1; i < last; i++) {
    if (distance(kept[kept.length - 1], coords[i], { units: 'meters' }) >= arm) kept.push(coords[i]);
  }
  const tail = distance(kept[kept.length - 1], coords[last], { units: 'meters' });
  if (tail < arm && kept.length > 1) kept[kept.length - 1] = coords[last];
  else kept.push(coords[last]);
  return kept;
}

/**
 * Curvature of a polyline from its geometry. At each interior vertex B of a triple A, B, C the
 * turn is the change from the final bearing of A→B to the initial bearing of B→C (turf, on the
 * sphere), and the circle through A, B and C has radius |AC| / (2 sin turn) (the inscribed-angle
 * theorem: the angle at B is 180° - turn). Points on a circle of radius R give R exactly; a straight
 * line gives no turn and the capped radius.
 */
export function curvature(coords: readonly Position[], minArmM: number, maxRadiusM: number): Curvature {
  const pts = thinVertices(coords, minArmM);
  let turnSum = 0;
  let minRadius = maxRadiusM;
  let lengthM = 0;
  for (let i = 1; i < pts.length; i++) lengthM += distance(pts[i - 1], pts[i], { units: 'meters' });
  for (let i = 1; i + 1 < pts.length; i++) {
    const a = pts[i - 1];
    const b = pts[i];
    const c = pts[i + 1];
    const turn = Math.abs(turnDeg(bearing(a, b, { final: true }), bearing(b, c)));
    if (turn < STRAIGHT_TURN_DEG) continue;
    turnSum += turn;
    // The circumradius holds for any turn; only a full reversal (sin 0, A on C) needs the limit, half an arm.
    const s = Math.sin((turn * Math.PI) / 180);
    const r =
      s > 1e-9
        ? distance(a, c, { units: 'meters' }) / (2 * s)
        : Math.min(distance(a, b, { units: 'meters' }), distance(b, c, { units: 'meters' })) / 2;
    if (r < minRadius) minRadius = r;
  }
  return { degPerKm: lengthM > 0 ? turnSum / (lengthM / 1000) : 0, minRadiusM: minRadius };
}

/** Net grade from entry to exit, percent (positive uphill in the direction of travel); NaN without elevations on every vertex. */
export function netGradePct(coords: readonly Position[], lengthM: number): number {
  const first = coords[0];
  const last = coords[coords.length - 1];
  if (!coords.every((c) => c.length >= 3 && Number.isFinite(c[2])) || lengthM <= 0) return NaN;
  return (((last[2] as number) - (first[2] as number)) / lengthM) * 100;
}

export interface PointOnLine {
  lon: number;
  lat: number;
  /** NaN when the line has no elevations. */
  elevationM: number;
}

/** The point halfway along the line (turf `along`), with its elevation interpolated between vertices. */
export function midpoint(coords: readonly Position[], lengthM: number): PointOnLine {
  const [lon, lat] = along(lineString(coords.map((c) => [...c])), lengthM / 2, { units: 'meters' }).geometry.coordinates;
  let elevationM = NaN;
  if (coords.every((c) => c.length >= 3)) {
    let run = 0;
    for (let i = 1; i < coords.length; i++) {
      const d = distance(coords[i - 1], coords[i], { units: 'meters' });
      if (run + d >= lengthM / 2 || i === coords.length - 1) {
        const f = d > 0 ? Math.min(1, Math.max(0, (lengthM / 2 - run) / d)) : 0;
        elevationM = (coords[i - 1][2] as number) + f * ((coords[i][2] as number) - (coords[i - 1][2] as number));
        break;
      }
      run += d;
    }
  }
  return { lon, lat, elevationM };
}

export interface HeadingPieces {
  /** Directions of travel present on the line, compass degrees rounded to whole degrees. */
  headingsDeg: Float64Array;
  /** Share of the line's length travelling in each of them; they sum to 1. */
  shares: Float64Array;
}

/** How much of the line runs in which direction: the direction of travel for sun glare. */
export function headingPieces(coords: readonly Position[]): HeadingPieces {
  const byDeg = new Map<number, number>();
  let total = 0;
  for (let i = 1; i < coords.length; i++) {
    const d = distance(coords[i - 1], coords[i], { units: 'meters' });
    if (d <= 0) continue;
    const deg = Math.round(compassDeg(bearing(coords[i - 1], coords[i]))) % 360;
    byDeg.set(deg, (byDeg.get(deg) ?? 0) + d);
    total += d;
  }
  const entries = [...byDeg.entries()].sort((a, b) => a[0] - b[0]);
  return {
    headingsDeg: Float64Array.from(entries, (e) => e[0]),
    shares: Float64Array.from(entries, (e) => e[1] / total),
  };
}

import SunCalc from 'suncalc';

const DEG = 180 / Math.PI;

/**
 * suncalc 1.9 measures azimuth in radians from south, positive towards west (so -pi/2 is east);
 * a compass bearing is degrees from north, clockwise. Returns degrees in [0, 360).
 */
export function compassAzimuthDeg(suncalcAzimuthRad: number): number {
  const deg = (suncalcAzimuthRad * DEG + 180) % 360;
  return deg < 0 ? deg + 360 : deg;
}

export interface SunPosition {
  /** Above the horizon positive, degrees (geometric, no refraction, as suncalc gives it). */
  altitudeDeg: number;
  /** Compass bearing of the sun, degrees in [0, 360). */
  azimuthDeg: number;
}

export function sunPosition(utcMs: number, lat: number, lon: number, out: SunPosition = { altitudeDeg: 0, azimuthDeg: 0 }): SunPosition {
  const p = SunCalc.getPosition(new Date(utcMs), lat, lon);
  out.altitudeDeg = p.altitude * DEG;
  out.azimuthDeg = compassAzimuthDeg(p.azimuth);
  return out;
}

/** Smallest angle between two compass directions, degrees in [0, 180]. */
export function angleBetweenDeg(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}

export interface GlareRule {
  glareMaxAltitudeDeg: number;
  glareMaxAngleDeg: number;
}

/**
 * Share of a segment's length (0..1) on which a low sun is straight ahead: the sun above the
 * horizon and at most `glareMaxAltitudeDeg` high, and its azimuth within `glareMaxAngleDeg` of the
 * direction of travel (compass bearings of the segment's pieces, with their length shares).
 */
export function glareShare(sun: SunPosition, headingsDeg: ArrayLike<number>, shares: ArrayLike<number>, rule: GlareRule): number {
  if (sun.altitudeDeg <= 0 || sun.altitudeDeg > rule.glareMaxAltitudeDeg) return 0;
  let share = 0;
  for (let i = 0; i < headingsDeg.length; i++) {
    if (angleBetweenDeg(headingsDeg[i], sun.azimuthDeg) <= rule.glareMaxAngleDeg) share += shares[i];
  }
  return share > 1 ? 1 : share;
}

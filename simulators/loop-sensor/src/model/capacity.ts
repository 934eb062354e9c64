/**
 * Fundamental-diagram parameters. Capacities are in passenger-car units (pcu) and converted to
 * vehicles with the heavy-vehicle factor fHV = 1 / (1 + P_T (E_T - 1)) (HCM 2016, ch. 12).
 */

/**
 * Base capacity per lane (pcu/h) by speed limit: ~1900 at 80 km/h to ~2100 at 130 km/h (HBS 2015;
 * HCM 2016 exh. 12-37 gives 2250-2400 for US free-flow speeds).
 */
export function basePcuPerLaneH(limitKmh: number): number {
  return Math.min(2150, Math.max(1900, 1900 + 5 * (limitKmh - 90)));
}

/** Passenger-car equivalent of a heavy vehicle: 1.5 on the level, more on long grades above 3 % (HCM exh. 12-26). */
export function truckPce(gradePct: number): number {
  return 1.5 + 0.5 * Math.max(0, gradePct - 3);
}

/** Jam density, pcu per km per lane: ~7 m per stopped car. */
export const JAM_DENSITY_PCU_PER_KM = 140;

/** Tunnels carry ~10 % less (narrow cross-section, lighting transition; PIARC, Austrian RVS 09.01). */
export const TUNNEL_FACTOR = 0.9;

/** Poor pavement (ruts, patches) slows and spreads traffic: up to -6 % capacity. */
export function surfaceFactor(quality: number): number {
  return 0.94 + 0.06 * quality;
}

/** Merge turbulence in the cell an on-ramp joins. */
export const MERGE_FACTOR = 0.97;

/** The taper where a lane ends. */
export const LANE_DROP_FACTOR = 0.95;

/**
 * Queue discharge is below pre-queue capacity: the "capacity drop", 3-15 % in the literature
 * (Hall & Agyemang-Duah 1991; Cassidy & Bertini 1999).
 */
export const CAPACITY_DROP = 0.05;

/**
 * Share of a segment's capacity left by an incident: HCM 2016 exh. 10-17, by lanes in one
 * direction (rows 2..8) and lanes blocked (columns: 0 = on the shoulder, 1, 2, 3).
 * Blocking one of two lanes leaves 35 %, not 50 %: merging and rubbernecking.
 */
const HCM_INCIDENT: Readonly<Record<number, readonly number[]>> = {
  2: [0.81, 0.35, 0],
  3: [0.83, 0.49, 0.17, 0],
  4: [0.85, 0.58, 0.25, 0.13],
  5: [0.87, 0.65, 0.4, 0.2],
  6: [0.89, 0.71, 0.5, 0.26],
  7: [0.91, 0.75, 0.57, 0.36],
  8: [0.93, 0.78, 0.63, 0.41],
};

export function incidentFactor(lanes: number, lanesBlocked: number): number {
  if (lanesBlocked >= lanes) return 0;
  if (lanes === 1) return 0.75;
  const row = HCM_INCIDENT[Math.min(lanes, 8)];
  if (lanesBlocked < row.length) return row[lanesBlocked];
  return Math.max(0.05, (0.6 * (lanes - lanesBlocked)) / lanes);
}

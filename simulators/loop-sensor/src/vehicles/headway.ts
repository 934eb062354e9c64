import type { Rng } from '../random/rng.js';

/** Shortest time gap (s) a driver leaves at speed; a few tailgaters go below 0.5 s. */
export const MIN_GAP_S = 0.4;
/** Standstill distance (m) kept in a queue. */
export const STANDSTILL_GAP_M = 2.5;
/** Lane flow (veh/s) at which nearly everyone follows someone: ~1800 veh/h. */
const SATURATED_LANE_FLOW = 0.5;

/**
 * Time headway (front to front, s) to the next vehicle in the lane. In free flow a mixed model
 * (Branston 1976; Cowan M3): a share of drivers follow their leader at a gamma-distributed gap
 * of about a second, the rest are free with a shifted exponential gap; the following share
 * grows with the lane's flow. In a queue everybody follows and gaps are set by the density:
 * a gamma around the mean gap, far more regular than free traffic. Either way the mean
 * headway is exactly 1/flow, which keeps counts equal to the traffic model's flow.
 */
export function drawHeadwayS(
  rng: Rng,
  /** Lane flow, vehicles per second. */
  flow: number,
  /** The leader's occupancy time (its length over its speed), s. */
  leaderOccS: number,
  /** Cell speed over free-flow speed. */
  speedRatio: number,
  /** Cell speed, m/s. */
  speedMs: number,
): number {
  const minGap = Math.max(MIN_GAP_S, STANDSTILL_GAP_M / Math.max(speedMs, 0.5));
  const meanGap = Math.max(1 / flow - leaderOccS, minGap);
  const congestion = Math.min(1, Math.max(0, (0.85 - speedRatio) / 0.35));
  let gap: number;
  if (congestion > 0 && rng.uniform() < congestion) {
    gap = minGap + (meanGap > minGap ? rng.gamma(4, (meanGap - minGap) / 4) : 0);
  } else {
    const following = Math.min(0.9, 0.1 + (0.8 * flow) / SATURATED_LANE_FLOW);
    // Followers keep ~1 s at speed and more in slow traffic, where the standstill distance dominates.
    const followMean = Math.min(meanGap, 0.9 + STANDSTILL_GAP_M / Math.max(speedMs, 0.5));
    if (rng.uniform() < following) {
      const shift = Math.min(minGap, followMean);
      gap = shift + (followMean > shift ? rng.gamma(3, (followMean - shift) / 3) : 0);
    } else {
      const freeMean = (meanGap - following * followMean) / (1 - following);
      const shift = Math.min(1.0, freeMean);
      gap = shift + (freeMean > shift ? rng.exponential(freeMean - shift) : 0);
    }
  }
  return leaderOccS + gap;
}

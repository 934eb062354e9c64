/**
 * How a cross-section's flow splits over its lanes (index 0 = rightmost). Under the keep-right
 * rule light traffic uses the right lane at low flow and spreads left as flow grows, until near
 * capacity the left lane carries the most (the lane-flow inversion on German and Austrian
 * motorways; HBS 2015). Lorries keep right; on three or more lanes they may not use the leftmost
 * (StVO §7 (3a) in Austria).
 */
export function carLaneShares(lanes: number, utilization: number, out: Float64Array): void {
  const a = Math.max(-0.45, Math.min(1.2, 1.1 - 1.6 * utilization));
  let sum = 0;
  for (let i = 0; i < lanes; i++) {
    out[i] = Math.exp(-a * i);
    sum += out[i];
  }
  for (let i = 0; i < lanes; i++) out[i] /= sum;
}

const TRUCK_SHARES: readonly (readonly number[])[] = [[1], [1], [0.93, 0.07], [0.82, 0.18, 0]];

export function truckLaneShares(lanes: number, out: Float64Array): void {
  if (lanes < TRUCK_SHARES.length) {
    const s = TRUCK_SHARES[lanes];
    for (let i = 0; i < lanes; i++) out[i] = s[i];
    return;
  }
  out.fill(0, 0, lanes);
  out[0] = 0.7;
  out[1] = 0.25;
  out[2] = 0.05;
}

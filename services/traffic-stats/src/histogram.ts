/**
 * Speed histogram with 1 km/h bins centred on whole km/h (bin b holds [b-0.5, b+0.5)), so any
 * order statistic read from it is within 0.5 km/h of the exact one, and exact for whole-km/h
 * speeds. The last bin also holds everything faster; valid detections stop at 300 km/h.
 */
export const SPEED_BINS = 302;

export function speedBin(speedKmh: number): number {
  const b = Math.round(speedKmh);
  return b < SPEED_BINS ? b : SPEED_BINS - 1;
}

/**
 * The q-quantile by linear interpolation between closest ranks (numpy's default), each rank
 * read as its bin's centre.
 */
export function quantileFromHistogram(hist: Uint16Array | Uint32Array, count: number, q: number): number | null {
  if (count <= 0) return null;
  const k = (count - 1) * q;
  const lo = Math.floor(k);
  const hi = Math.ceil(k);
  let seen = 0;
  let loValue = -1;
  for (let b = 0; b < hist.length; b++) {
    seen += hist[b];
    if (loValue < 0 && seen > lo) loValue = b;
    if (seen > hi) return loValue + (b - loValue) * (k - lo);
  }
  // count larger than the histogram holds: only reachable with inconsistent input
  return loValue < 0 ? null : loValue;
}

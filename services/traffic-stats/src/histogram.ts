/**
 * Speed histograms with 1 km/h bins centred on whole km/h (bin b holds [b-0.5, b+0.5)), so any
 * order statistic read from one is within 0.5 km/h of the exact one, and exact for whole-km/h
 * speeds. The last bin also holds everything faster; valid detections stop at 300 km/h.
 */
export const SPEED_BINS = 302;

export function speedBin(speedKmh: number): number {
  const b = Math.round(speedKmh);
  return b < SPEED_BINS ? b : SPEED_BINS - 1;
}

const SATURATED = 255;

/**
 * All histograms of a stage in one byte slab: a pane holds an offset, not an array, because a
 * typed array per pane costs more in V8 bookkeeping than its 302 bins. A bin holds up to 254 in
 * its byte; larger counts (rare: more than 254 vehicles at one km/h) keep the excess in a map.
 */
export class HistogramSlab {
  private data: Uint8Array;
  private used = 0;
  private readonly free: number[] = [];
  private readonly overflow = new Map<number, number>();

  constructor(initialHistograms = 1024) {
    this.data = new Uint8Array(initialHistograms * SPEED_BINS);
  }

  alloc(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.used + SPEED_BINS > this.data.length) {
      const grown = new Uint8Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const off = this.used;
    this.used += SPEED_BINS;
    return off;
  }

  release(off: number): void {
    this.clear(off);
    this.free.push(off);
  }

  get bytes(): number {
    return this.data.length;
  }

  add(off: number, bin: number, n = 1): void {
    const i = off + bin;
    const v = this.data[i] + n;
    if (v < SATURATED) {
      this.data[i] = v;
      return;
    }
    this.data[i] = SATURATED;
    this.overflow.set(i, (this.overflow.get(i) ?? 0) + v - SATURATED);
  }

  get(off: number, bin: number): number {
    const i = off + bin;
    const v = this.data[i];
    return v < SATURATED ? v : SATURATED + (this.overflow.get(i) ?? 0);
  }

  clear(off: number): void {
    const d = this.data;
    for (let i = off; i < off + SPEED_BINS; i++) {
      if (d[i] === SATURATED) this.overflow.delete(i);
      d[i] = 0;
    }
  }

  /** Adds histogram `from` into `into`. */
  merge(into: number, from: number): void {
    const d = this.data;
    for (let b = 0; b < SPEED_BINS; b++) {
      const v = d[from + b];
      if (v === 0) continue;
      if (v < SATURATED && d[into + b] + v < SATURATED) d[into + b] += v;
      else this.add(into, b, this.get(from, b));
    }
  }

  /**
   * The q-quantile of `count` values by linear interpolation between closest ranks (numpy's
   * default), each rank read as its bin's centre.
   */
  quantile(off: number, count: number, q: number): number | null {
    if (count <= 0) return null;
    const k = (count - 1) * q;
    const lo = Math.floor(k);
    const hi = Math.ceil(k);
    let seen = 0;
    let loValue = -1;
    for (let b = 0; b < SPEED_BINS; b++) {
      seen += this.get(off, b);
      if (loValue < 0 && seen > lo) loValue = b;
      if (seen > hi) return loValue + (b - loValue) * (k - lo);
    }
    return loValue < 0 ? null : loValue;
  }
}

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
 * Numbered histograms in one byte slab: histogram h starts at byte h * SPEED_BINS, so a pane's
 * number is also its histogram's (a typed array per pane would cost more in V8 bookkeeping than
 * its 302 bins). A bin holds up to 254 in its byte; larger counts (rare: more than 254 vehicles
 * at one km/h) keep the excess in a map.
 */
export class HistogramSlab {
  private data: Uint8Array;
  private readonly overflow = new Map<number, number>();

  constructor(initialHistograms = 64) {
    this.data = new Uint8Array(Math.max(1, initialHistograms) * SPEED_BINS);
  }

  /** Number of histograms the slab holds now. */
  get capacity(): number {
    return Math.floor(this.data.length / SPEED_BINS);
  }

  /** Makes room for histograms 0..count-1, growing by at least half so repeated growth stays amortised O(1). */
  ensure(count: number): void {
    if (count <= this.capacity) return;
    const grown = new Uint8Array(Math.max(Math.ceil(this.data.length * 1.5), count * SPEED_BINS));
    grown.set(this.data);
    this.data = grown;
  }

  get bytes(): number {
    return this.data.length;
  }

  add(h: number, bin: number, n = 1): void {
    const i = h * SPEED_BINS + bin;
    const v = this.data[i] + n;
    if (v < SATURATED) {
      this.data[i] = v;
      return;
    }
    this.data[i] = SATURATED;
    this.overflow.set(i, (this.overflow.get(i) ?? 0) + v - SATURATED);
  }

  get(h: number, bin: number): number {
    const i = h * SPEED_BINS + bin;
    const v = this.data[i];
    return v < SATURATED ? v : SATURATED + (this.overflow.get(i) ?? 0);
  }

  /** Empties histogram h; callers that know its non-empty bins lie in lo..hi may say so. */
  clear(h: number, lo = 0, hi = SPEED_BINS - 1): void {
    const d = this.data;
    const from = h * SPEED_BINS + lo;
    const to = h * SPEED_BINS + hi + 1;
    if (this.overflow.size > 0) {
      for (let i = from; i < to; i++) if (d[i] === SATURATED) this.overflow.delete(i);
    }
    d.fill(0, from, to);
  }

  /** Adds histogram `from`, whose non-empty bins lie in lo..hi, into `into`. */
  merge(into: number, from: number, lo = 0, hi = SPEED_BINS - 1): void {
    const d = this.data;
    const a = into * SPEED_BINS;
    const b = from * SPEED_BINS;
    // Sparse panes leave about every other bin of lo..hi empty, a branch the CPU cannot predict:
    // every bin is summed and stored instead, and only a sum reaching the saturation mark (rare)
    // takes the overflow path.
    for (let k = lo; k <= hi; k++) {
      const v = d[b + k];
      const sum = d[a + k] + v;
      if (sum < SATURATED) d[a + k] = sum;
      else if (v !== 0) this.add(into, k, this.get(from, k));
    }
  }

  /**
   * The q-quantile of `count` values by linear interpolation between closest ranks (numpy's
   * default), each rank read as its bin's centre. Bins outside lo..hi must be empty.
   */
  quantile(h: number, count: number, q: number, lo = 0, hi = SPEED_BINS - 1): number | null {
    if (count <= 0) return null;
    const k = (count - 1) * q;
    const loRank = Math.floor(k);
    const hiRank = Math.ceil(k);
    let seen = 0;
    let loValue = -1;
    for (let b = lo; b <= hi; b++) {
      seen += this.get(h, b);
      if (loValue < 0 && seen > loRank) loValue = b;
      if (seen > hiRank) return loValue + (b - loValue) * (k - loRank);
    }
    return loValue < 0 ? null : loValue;
  }
}

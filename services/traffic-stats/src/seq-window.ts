import type { SnapshotReader, SnapshotWriter } from '@saferoads/shared/runtime';

/**
 * Duplicate detection by controller sequence number with O(1) state per detector, after the
 * IPsec anti-replay window: the highest sequence seen plus a bitmap of the WINDOW sequences
 * below it. A sequence far below the window is taken as a controller restart, not a duplicate.
 *
 * The windows of all detectors of a stage share one buffer, indexed by detector number: a
 * detector's highest sequence (a double: sequences go up to 2^53) and its bitmap (8 x 32-bit
 * words) sit side by side in one 40-byte record, so a check touches one or two cache lines.
 */
export const SEQ_WINDOW = 256;
const WORDS = SEQ_WINDOW / 32;
/** Record size in doubles: the highest sequence, then the bitmap words. */
const RECORD = 1 + WORDS / 2;

export class SeqWindows {
  private readonly max: Float64Array;
  private readonly bits: Int32Array;

  constructor(readonly detectors: number) {
    const buf = new ArrayBuffer(detectors * RECORD * 8);
    this.max = new Float64Array(buf);
    this.bits = new Int32Array(buf);
    // -1: nothing seen yet.
    for (let d = 0; d < detectors; d++) this.max[d * RECORD] = -1;
  }

  /** True when detector d saw seq before (a duplicate); otherwise records it. */
  seen(d: number, seq: number): boolean {
    const m = d * RECORD;
    const max = this.max[m];
    // The bitmap of d starts right after its highest sequence, in 32-bit words.
    const w = 2 * m + 2;
    if (max < 0 || seq <= max - SEQ_WINDOW) {
      this.restart(m, w, seq);
      return false;
    }
    if (seq > max) {
      if (seq - max >= SEQ_WINDOW) this.bits.fill(0, w, w + WORDS);
      else for (let s = max + 1; s < seq; s++) this.clear(w, s);
      this.max[m] = seq;
      this.set(w, seq);
      return false;
    }
    if (this.get(w, seq)) return true;
    this.set(w, seq);
    return false;
  }

  save(d: number, w: SnapshotWriter): void {
    const m = d * RECORD;
    w.f64(this.max[m]);
    // The bitmap as integers: arbitrary bits read as a double could be an NaN V8 canonicalises.
    for (let i = 0; i < WORDS; i++) w.i32(this.bits[2 * m + 2 + i]);
  }

  restore(d: number, r: SnapshotReader): void {
    const m = d * RECORD;
    this.max[m] = r.f64();
    for (let i = 0; i < WORDS; i++) this.bits[2 * m + 2 + i] = r.i32();
  }

  /** Forgets everything detector d has seen. */
  forget(d: number): void {
    const m = d * RECORD;
    this.max[m] = -1;
    this.bits.fill(0, 2 * m + 2, 2 * m + 2 + WORDS);
  }

  /** Reads d's record and returns a meaningless number: see TrafficStatsStage's warm-up. */
  peek(d: number): number {
    return this.max[d * RECORD] | 0;
  }

  private restart(m: number, w: number, seq: number): void {
    this.bits.fill(0, w, w + WORDS);
    this.max[m] = seq;
    this.set(w, seq);
  }

  private get(w: number, seq: number): boolean {
    const i = seq % SEQ_WINDOW;
    return (this.bits[w + (i >>> 5)] & (1 << (i & 31))) !== 0;
  }

  private set(w: number, seq: number): void {
    const i = seq % SEQ_WINDOW;
    this.bits[w + (i >>> 5)] |= 1 << (i & 31);
  }

  private clear(w: number, seq: number): void {
    const i = seq % SEQ_WINDOW;
    this.bits[w + (i >>> 5)] &= ~(1 << (i & 31));
  }
}

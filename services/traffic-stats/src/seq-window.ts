/**
 * Duplicate detection by controller sequence number with O(1) state per detector, after the
 * IPsec anti-replay window: the highest sequence seen plus a bitmap of the WINDOW sequences
 * below it. A sequence far below the window is taken as a controller restart, not a duplicate.
 */
export const SEQ_WINDOW = 1024;

export class SeqWindow {
  private max = -1;
  private readonly bits = new Uint32Array(SEQ_WINDOW / 32);

  /** True when seq was seen before (a duplicate); otherwise records it. */
  seen(seq: number): boolean {
    if (this.max < 0 || seq <= this.max - SEQ_WINDOW) {
      this.restart(seq);
      return false;
    }
    if (seq > this.max) {
      const steps = seq - this.max;
      if (steps >= SEQ_WINDOW) this.bits.fill(0);
      else for (let s = this.max + 1; s < seq; s++) this.clear(s);
      this.max = seq;
      this.set(seq);
      return false;
    }
    if (this.get(seq)) return true;
    this.set(seq);
    return false;
  }

  private restart(seq: number): void {
    this.bits.fill(0);
    this.max = seq;
    this.set(seq);
  }

  private get(seq: number): boolean {
    const i = seq % SEQ_WINDOW;
    return (this.bits[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  private set(seq: number): void {
    const i = seq % SEQ_WINDOW;
    this.bits[i >>> 5] |= 1 << (i & 31);
  }

  private clear(seq: number): void {
    const i = seq % SEQ_WINDOW;
    this.bits[i >>> 5] &= ~(1 << (i & 31));
  }
}

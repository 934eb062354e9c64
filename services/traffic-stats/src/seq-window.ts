/**
 * Duplicate detection by controller sequence number with O(1) state per detector, after the
 * IPsec anti-replay window: the highest sequence seen plus a bitmap of the WINDOW sequences
 * below it. A sequence far below the window is taken as a controller restart, not a duplicate.
 * The bitmap is 16-bit words in a plain array: small integers need no typed-array bookkeeping.
 */
export const SEQ_WINDOW = 256;
const WORDS = SEQ_WINDOW / 16;

export class SeqWindow {
  private max = -1;
  private readonly bits: number[] = new Array<number>(WORDS).fill(0);

  /** True when seq was seen before (a duplicate); otherwise records it. */
  seen(seq: number): boolean {
    if (this.max < 0 || seq <= this.max - SEQ_WINDOW) {
      this.restart(seq);
      return false;
    }
    if (seq > this.max) {
      if (seq - this.max >= SEQ_WINDOW) this.bits.fill(0);
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
    return (this.bits[i >>> 4] & (1 << (i & 15))) !== 0;
  }

  private set(seq: number): void {
    const i = seq % SEQ_WINDOW;
    this.bits[i >>> 4] |= 1 << (i & 15);
  }

  private clear(seq: number): void {
    const i = seq % SEQ_WINDOW;
    this.bits[i >>> 4] &= ~(1 << (i & 15));
  }
}

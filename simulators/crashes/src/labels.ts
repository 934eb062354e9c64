/** A row whose future is known: what happened in the `horizon` minutes after its minute. */
export interface LabelledRow<T> {
  readonly payload: T;
  readonly minute: number;
  /** Hazard of the row's own minute. */
  readonly hazardNow: number;
  /** Sum of the hazards of the next `horizon` minutes: the oracle's expected crash count. */
  readonly hazardAhead: number;
  /** Crashes in the next `horizon` minutes. */
  readonly crashesAhead: number;
}

/**
 * Holds each segment's rows until their future is known. A row of minute m (its window is
 * [m, m + 1)) is labelled by the crashes of minutes m + 1 .. m + horizon, the `horizon` minutes
 * after the window's end, so it leaves `horizon` minutes after it came in. Minutes must arrive
 * one after another per segment; rows of the last `horizon` minutes of a run never complete.
 */
export class HorizonLabeller<T> {
  private readonly size: number;
  private readonly hazards: Float64Array;
  private readonly crashes: Int32Array;
  private readonly payloads: (T | undefined)[];
  private readonly next: Float64Array;

  constructor(
    readonly segments: number,
    readonly horizon = 15,
  ) {
    if (!Number.isInteger(horizon) || horizon < 1) throw new RangeError(`horizon must be a whole number of minutes >= 1, got ${horizon}`);
    this.size = horizon + 1;
    this.hazards = new Float64Array(segments * this.size);
    this.crashes = new Int32Array(segments * this.size);
    this.payloads = new Array<T | undefined>(segments * this.size);
    this.next = new Float64Array(segments).fill(Number.NaN);
  }

  /**
   * Records minute `minute` of `segment`: its hazard, its crashes and its row (undefined when the
   * minute has no row, e.g. during warm-up: it still labels the rows before it). Returns the row
   * of minute − horizon, now labelled, when there is one.
   */
  push(segment: number, minute: number, hazard: number, crashes: number, payload: T | undefined): LabelledRow<T> | undefined {
    const expected = this.next[segment];
    if (!Number.isNaN(expected) && minute !== expected) {
      throw new RangeError(`segment ${segment}: minute ${minute} pushed, expected ${expected} (minutes must be consecutive)`);
    }
    if (Number.isNaN(expected)) this.first(segment, minute);
    this.next[segment] = minute + 1;
    const base = segment * this.size;
    const slot = base + (minute % this.size);
    this.hazards[slot] = hazard;
    this.crashes[slot] = crashes;
    this.payloads[slot] = payload;

    const m = minute - this.horizon;
    const oldest = base + (((m % this.size) + this.size) % this.size);
    const row = this.payloads[oldest];
    if (row === undefined) return undefined;
    let hazardAhead = 0;
    let crashesAhead = 0;
    for (let k = 1; k <= this.horizon; k++) {
      const s = base + ((m + k) % this.size);
      hazardAhead += this.hazards[s];
      crashesAhead += this.crashes[s];
    }
    this.payloads[oldest] = undefined;
    return { payload: row, minute: m, hazardNow: this.hazards[oldest], hazardAhead, crashesAhead };
  }

  private first(segment: number, _minute: number): void {
    const base = segment * this.size;
    for (let k = 0; k < this.size; k++) this.payloads[base + k] = undefined;
  }
}

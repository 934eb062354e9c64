/**
 * Event-time watermark of one partition: the highest event time seen minus the allowed
 * out-of-orderness. When the partition has been idle (no event for idleTimeoutMs of wall-clock
 * time) the watermark moves on with the wall clock from its newest event, so an empty road still
 * gets its windows closed.
 * Pure: wall-clock time is passed in, never read.
 */
export interface WatermarkOptions {
  readonly outOfOrdernessMs: number;
  /** Wall-clock idleness after which the watermark advances by itself; undefined = never (offline). */
  readonly idleTimeoutMs?: number;
}

export class WatermarkTracker {
  private maxTs = Number.NEGATIVE_INFINITY;
  private lastEventWallMs: number;
  private value = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly opts: WatermarkOptions,
    startWallMs = 0,
  ) {
    this.lastEventWallMs = startWallMs;
  }

  /** Records an event and returns the watermark after it. */
  observe(ts: number, wallNowMs = this.lastEventWallMs): number {
    if (ts > this.maxTs) this.maxTs = ts;
    this.lastEventWallMs = wallNowMs;
    const candidate = this.maxTs - this.opts.outOfOrdernessMs;
    if (candidate > this.value) this.value = candidate;
    return this.value;
  }

  /** The watermark now, with idle advance applied when wall-clock time is known. */
  current(wallNowMs?: number): number {
    const idle = this.opts.idleTimeoutMs;
    if (idle !== undefined && wallNowMs !== undefined) {
      const idleFor = wallNowMs - this.lastEventWallMs - idle;
      // Extrapolated from the partition's own newest event: a partition that never saw one has no
      // event time to extend (the wall clock would make a backfill of last year's data all late).
      if (idleFor > 0 && this.maxTs !== Number.NEGATIVE_INFINITY) {
        const candidate = this.maxTs - this.opts.outOfOrdernessMs + idleFor;
        if (candidate > this.value) this.value = candidate;
      }
    }
    return this.value;
  }

  /** Highest event time seen, or -Infinity. */
  get maxEventTime(): number {
    return this.maxTs;
  }

  /** What a snapshot keeps: the newest event time and the watermark (idle time restarts on restore). */
  save(): { readonly maxEventTime: number; readonly watermark: number } {
    return { maxEventTime: this.maxTs, watermark: this.value };
  }

  /** Back to a saved clock (or, with none, to no event seen); idleness is counted from wallNowMs. */
  restore(saved: { readonly maxEventTime: number; readonly watermark: number } | null, wallNowMs: number): void {
    this.maxTs = saved?.maxEventTime ?? Number.NEGATIVE_INFINITY;
    this.value = saved?.watermark ?? Number.NEGATIVE_INFINITY;
    this.lastEventWallMs = wallNowMs;
  }

  /** Moves the watermark forward to at least ts (end of input, or a restored checkpoint). */
  advanceTo(ts: number): number {
    if (ts > this.value) this.value = ts;
    return this.value;
  }
}

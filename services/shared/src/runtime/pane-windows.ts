import { ConfigError, SaferoadsError } from '../errors.js';
import type { PaneAggregator } from './aggregator.js';
import { alignDown, windowEndsAt, windowSpecProblems, type WindowSpec } from './windows.js';

export interface PaneWindowsOptions<P, R, Ctx> {
  readonly paneMs: number;
  readonly windows: readonly WindowSpec[];
  /** A window closes once the watermark reaches its end plus the grace period. */
  readonly graceMs: number;
  /** Used only to size the pane ring: how far ahead of the watermark an event may lie. */
  readonly outOfOrdernessMs: number;
  readonly aggregator: PaneAggregator<P, unknown, R, Ctx>;
  readonly emit: (key: string, ctx: Ctx, result: R) => void;
  /** Called once per pane boundary, before the windows ending there are emitted. */
  readonly beforeClose?: (endMs: number) => void;
}

/** A key's state, handed out so hot paths skip the key lookup. */
export interface KeyHandle<P, Ctx> {
  readonly key: string;
  readonly ctx: Ctx;
  readonly ring: P[];
  readonly scratch: P;
}
type KeyState<P, Ctx> = KeyHandle<P, Ctx>;

/**
 * Windows over one partition's keys, built from a ring of per-key panes. All keys share the
 * partition's watermark, so a window closes for every key at once, idle keys included (count 0).
 * Work per event is one pane update; state is O(keys x ring), independent of the event rate.
 */
export class PaneWindows<P, R, Ctx> {
  private readonly keys = new Map<string, KeyState<P, Ctx>>();
  private readonly order: KeyState<P, Ctx>[] = [];
  private readonly ringSize: number;
  private readonly maxSizeMs: number;
  private startMs = Number.NaN;
  private nextCloseEndMs = Number.NaN;
  /** slot()'s last argument and answer. */
  private lastSlotPaneMs = Number.NaN;
  private lastSlot = 0;

  constructor(private readonly opts: PaneWindowsOptions<P, R, Ctx>) {
    const problems = windowSpecProblems(opts.windows, opts.paneMs);
    if (!(opts.graceMs >= 0)) problems.push(`graceMs: must be >= 0, got ${opts.graceMs}`);
    if (!(opts.outOfOrdernessMs >= 0)) problems.push(`outOfOrdernessMs: must be >= 0, got ${opts.outOfOrdernessMs}`);
    if (problems.length) throw new ConfigError('pane windows', problems);
    this.maxSizeMs = Math.max(...opts.windows.map((w) => w.sizeMs));
    // Panes live from the oldest open window's start (the next close end, above watermark - grace,
    // minus the largest size) to the newest event's pane (at most watermark + out-of-orderness).
    this.ringSize = this.maxSizeMs / opts.paneMs + Math.ceil((opts.graceMs + opts.outOfOrdernessMs) / opts.paneMs);
  }

  get started(): boolean {
    return !Number.isNaN(this.startMs);
  }

  /** Start of the first pane, or NaN before the first watermark. */
  get firstPaneStartMs(): number {
    return this.startMs;
  }

  /** End of the next window boundary to close, or NaN before the first watermark. */
  get nextCloseEnd(): number {
    return this.nextCloseEndMs;
  }

  /** Start of the oldest pane still open for events; earlier events are late. */
  get openFromMs(): number {
    return this.nextCloseEndMs - this.opts.paneMs;
  }

  /** Panes per key: the state bound, independent of the event rate. */
  get panesPerKey(): number {
    return this.ringSize;
  }

  get keyCount(): number {
    return this.keys.size;
  }

  hasKey(key: string): boolean {
    return this.keys.has(key);
  }

  /**
   * Registers a key so its windows close even when it sees no event. Its panes come from the
   * aggregator's init, unless the caller lays out pane storage itself and passes them in
   * (initialised, `panesPerKey` in the ring plus one scratch pane to merge into).
   */
  addKey(key: string, ctx: Ctx, panes?: { readonly ring: readonly P[]; readonly scratch: P }): void {
    if (this.keys.has(key)) return;
    const agg = this.opts.aggregator;
    let ring: P[];
    let scratch: P;
    if (panes) {
      if (panes.ring.length !== this.ringSize) {
        throw new SaferoadsError('STATE_INVARIANT', `key ${key}: a ring holds ${this.ringSize} panes, got ${panes.ring.length}`);
      }
      ring = [...panes.ring];
      scratch = panes.scratch;
    } else {
      ring = [];
      for (let i = 0; i < this.ringSize; i++) ring.push(agg.init(ctx));
      scratch = agg.init(ctx);
    }
    const state = { key, ctx, ring, scratch };
    this.keys.set(key, state);
    this.order.push(state);
  }

  handle(key: string): KeyHandle<P, Ctx> | undefined {
    return this.keys.get(key);
  }

  /**
   * The open pane holding ts for key, or null when that pane's windows have already closed (the
   * event is late). Call advance() with the watermark first.
   */
  paneFor(key: string, ts: number): P | null {
    const state = this.keys.get(key);
    if (!state) throw new SaferoadsError('STATE_INVARIANT', `unknown key ${key}: register it with addKey first`);
    return this.paneAt(state, ts);
  }

  paneAt(state: KeyHandle<P, Ctx>, ts: number): P | null {
    const slot = this.slotAt(ts);
    return slot < 0 ? null : state.ring[slot];
  }

  /**
   * Index in every key's ring of the open pane holding ts, or -1 when that pane's windows have
   * already closed (the event is late). The same for all keys, since they share the watermark:
   * callers that keep panes in their own flat storage need no handle.
   */
  slotAt(ts: number): number {
    if (!this.started || ts < this.nextCloseEndMs - this.opts.paneMs) return -1;
    const oldestLive = Math.max(this.startMs, this.nextCloseEndMs - this.maxSizeMs);
    const pane = alignDown(ts, this.opts.paneMs);
    if (pane >= oldestLive + this.ringSize * this.opts.paneMs) {
      throw new SaferoadsError('STATE_INVARIANT', `event at ${ts} lies beyond the pane ring: advance the watermark before adding`);
    }
    return this.slot(pane);
  }

  /**
   * Ring slot of the pane holding ts whether or not that pane is open: a pure mapping, for
   * callers that want to touch a pane's storage before deciding what to do with an event.
   */
  slotOf(ts: number): number {
    return this.slot(alignDown(ts, this.opts.paneMs));
  }

  /** Where the stream stands, for a snapshot: the panes themselves are the aggregator's to save. */
  saveClock(): { readonly startMs: number; readonly nextCloseEndMs: number } {
    return { startMs: this.startMs, nextCloseEndMs: this.nextCloseEndMs };
  }

  /** Back to a saved clock, or with none to before the first watermark. The panes must be restored (or reset) with it. */
  restoreClock(saved: { readonly startMs: number; readonly nextCloseEndMs: number } | null): void {
    this.startMs = saved?.startMs ?? Number.NaN;
    this.nextCloseEndMs = saved?.nextCloseEndMs ?? Number.NaN;
    this.lastSlotPaneMs = Number.NaN;
  }

  /** Closes every window whose end plus grace the watermark has reached; returns how many boundaries closed. */
  advance(watermarkMs: number): number {
    if (!Number.isFinite(watermarkMs)) return 0;
    if (!this.started) {
      // The stream starts with the pane of the newest event the first watermark implies: a window
      // before it would claim an empty road for time the stage never saw.
      this.startMs = alignDown(watermarkMs + this.opts.outOfOrdernessMs, this.opts.paneMs);
      this.nextCloseEndMs = this.startMs + this.opts.paneMs;
    }
    let closed = 0;
    while (this.nextCloseEndMs + this.opts.graceMs <= watermarkMs) {
      this.closeBoundary(this.nextCloseEndMs);
      this.nextCloseEndMs += this.opts.paneMs;
      closed++;
    }
    return closed;
  }

  /** Closes every window ending at or before endMs, whatever the watermark (end of input). */
  flushUntil(endMs: number): number {
    if (!this.started) return 0;
    let closed = 0;
    while (this.nextCloseEndMs <= endMs) {
      this.closeBoundary(this.nextCloseEndMs);
      this.nextCloseEndMs += this.opts.paneMs;
      closed++;
    }
    return closed;
  }

  private slot(paneStartMs: number): number {
    // Nearly every call is for the pane of the newest minute: remember the last answer rather
    // than redo a floating-point modulo (a library call) per event.
    if (paneStartMs === this.lastSlotPaneMs) return this.lastSlot;
    const n = paneStartMs / this.opts.paneMs;
    const r = n % this.ringSize;
    this.lastSlotPaneMs = paneStartMs;
    this.lastSlot = r < 0 ? r + this.ringSize : r;
    return this.lastSlot;
  }

  private closeBoundary(endMs: number): void {
    const { aggregator: agg, emit, paneMs, windows } = this.opts;
    this.opts.beforeClose?.(endMs);
    for (const state of this.order) {
      for (const spec of windows) {
        const startMs = endMs - spec.sizeMs;
        // Windows reaching back before the stream began would be partial; they are not reported.
        if (startMs < this.startMs || !windowEndsAt(endMs, spec)) continue;
        let pane: P;
        if (spec.sizeMs === paneMs) {
          pane = state.ring[this.slot(startMs)];
        } else {
          pane = state.scratch;
          agg.reset(pane);
          for (let p = startMs; p < endMs; p += paneMs) agg.merge(pane, state.ring[this.slot(p)]);
        }
        emit(state.key, state.ctx, agg.result(pane, { name: spec.name, startMs, endMs }, state.ctx));
      }
      // The pane that just left the largest window is free for reuse.
      const retired = endMs - this.maxSizeMs;
      if (retired >= this.startMs) agg.reset(state.ring[this.slot(retired)]);
    }
  }
}

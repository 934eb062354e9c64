import type { Detection, TrafficStats } from '@saferoads/shared/contracts';
import { SaferoadsError } from '@saferoads/shared/errors';
import { MINUTE_MS, PaneWindows, WatermarkTracker, type SnapshotReader, type SnapshotWriter } from '@saferoads/shared/runtime';
import type { TrafficStatsConfig } from './config.js';
import type { GapQueues, GapSink, SettledGap } from './gaps.js';
import type { TrafficPane, TrafficPanes } from './pane.js';
import type { SegmentContext } from './segment-context.js';
import type { Segments } from './segments.js';
import type { SeqWindows } from './seq-window.js';
import { STATS_WINDOWS } from './windows.js';

export type StatsWindows = PaneWindows<TrafficPane, TrafficStats, SegmentContext>;

/** What a partition shares with the rest of its stage. */
export interface PartitionDeps {
  readonly config: TrafficStatsConfig;
  readonly segments: Segments;
  readonly panes: TrafficPanes;
  readonly gaps: GapQueues;
  readonly seqs: SeqWindows;
}

/**
 * One input partition: its event-time clock, its windows, and the gap queues of its detectors.
 * It is also where settled gaps go: each to the pane of its vehicle's time, unless closed.
 *
 * Its panes are laid out slot-major: ring slot k of the partition's i-th segment is pane
 * paneBase + k * size + i, and slot ringSize is the segment's scratch pane. The panes events go to
 * (the newest minute's) are then side by side for all segments, a compact hot set for the caches
 * and the TLB, and a pane's number follows from its slot by arithmetic.
 *
 * Its per-event methods take the detection, not its numbers: doubles passed to a call V8 does
 * not inline are boxed, an allocation each, and event times are never small integers.
 */
export class Partition implements GapSink {
  readonly watermark: WatermarkTracker;
  readonly windows: StatsWindows;
  /** The partition's detectors in network order, which fixes the order gaps are summed in. */
  readonly detectors: number[] = [];
  /** Set by place(): whether the event came at or after the watermark before it (in order). */
  inOrder = false;
  /** Set by place(): window boundaries its watermark advance closed. */
  closed = 0;
  private readonly segments: Segments;
  private readonly panes: TrafficPanes;
  private readonly gaps: GapQueues;
  private readonly seqs: SeqWindows;
  /** Segments on this partition, and panes per ring. */
  private readonly size: number;
  private readonly ringSize: number;
  private readonly paneBase: TrafficPane;

  constructor(
    readonly id: number,
    deps: PartitionDeps,
    emit: (record: TrafficStats) => void,
    wallStartMs: number,
  ) {
    const { config } = deps;
    this.segments = deps.segments;
    this.panes = deps.panes;
    this.gaps = deps.gaps;
    this.seqs = deps.seqs;
    this.watermark = new WatermarkTracker({ outOfOrdernessMs: config.outOfOrdernessMs, idleTimeoutMs: config.idleTimeoutMs }, wallStartMs);
    this.windows = new PaneWindows({
      paneMs: MINUTE_MS,
      windows: STATS_WINDOWS,
      graceMs: config.graceMs,
      outOfOrdernessMs: config.outOfOrdernessMs,
      aggregator: deps.panes,
      emit: (_key, _ctx, record) => emit(record),
      // Gaps of vehicles the watermark has passed are final; they must land before their windows close.
      beforeClose: () => this.settleAll(this.watermark.current()),
    });
    this.size = deps.segments.sizeOf(id);
    this.ringSize = this.windows.panesPerKey;
    this.paneBase = deps.panes.reserve(this.size * (this.ringSize + 1));
  }

  /** The pane in ring slot k of detector d's segment (slot ringSize: its scratch pane). */
  pane(d: number, k: number): TrafficPane {
    return this.paneBase + k * this.size + this.segments.indexInPartition[this.segments.segmentOf(d)];
  }

  /** Adds a detector; its segment's windows open with the first of its detectors. */
  addDetector(d: number): void {
    const segs = this.segments;
    const s = segs.segmentOf(d);
    const ctx = segs.ctx[s];
    if (!this.windows.hasKey(ctx.segmentId)) {
      const panes = Array.from({ length: this.ringSize + 1 }, (_, k) => this.pane(d, k));
      for (const p of panes) this.panes.prepare(p, ctx);
      this.windows.addKey(ctx.segmentId, ctx, { ring: panes.slice(0, this.ringSize), scratch: panes[this.ringSize] });
    }
    this.detectors.push(d);
  }

  /**
   * Advances the clock with an event (closing the windows it passes) and returns the ring slot of
   * the event's pane, or -1 when that pane's windows have closed (the event is late).
   */
  place(det: Detection, wallNowMs: number | undefined): number {
    const before = this.watermark.current();
    const wm = this.watermark.observe(det.ts, wallNowMs);
    this.closed = this.windows.advance(wm);
    this.inOrder = det.ts >= before;
    return this.windows.slotAt(det.ts);
  }

  /** The pane detector d's event would go to if open, to touch its storage early. */
  paneFor(d: number, det: Detection): TrafficPane {
    return this.pane(d, this.windows.slotOf(det.ts));
  }

  /** Queues an in-order vehicle of detector d; its gap is final once the watermark passes it. */
  queueForGap(d: number, det: Detection): void {
    this.gaps.push(d, det);
    this.gaps.settle(d, this.watermark.current(), this);
  }

  /** Settles the gaps of every vehicle at or before watermarkMs. */
  settleAll(watermarkMs: number): void {
    for (const d of this.detectors) this.gaps.settle(d, watermarkMs, this);
  }

  /** The pane late events of detector d are counted in: the oldest one still open. */
  latePane(d: number): TrafficPane {
    return this.pane(d, this.windows.slotAt(this.windows.openFromMs));
  }

  /**
   * Writes everything events have built up: the clock, the non-empty panes of the ring (the
   * scratch pane holds nothing between boundaries), and each detector's gap queue and sequence
   * window, in the partition's fixed detector order.
   */
  save(w: SnapshotWriter): void {
    const clock = this.watermark.save();
    w.f64(clock.maxEventTime);
    w.f64(clock.watermark);
    const { startMs, nextCloseEndMs } = this.windows.saveClock();
    w.f64(startMs);
    w.f64(nextCloseEndMs);
    const ringPanes = this.size * this.ringSize;
    let filled = 0;
    for (let i = 0; i < ringPanes; i++) if (!this.panes.isEmpty(this.paneBase + i)) filled++;
    w.u32(filled);
    for (let i = 0; i < ringPanes; i++) {
      if (this.panes.isEmpty(this.paneBase + i)) continue;
      w.u32(i);
      this.panes.save(this.paneBase + i, w);
    }
    w.u32(this.detectors.length);
    for (const d of this.detectors) {
      this.gaps.save(d, w);
      this.seqs.save(d, w);
    }
  }

  /** Replaces the state with what save() wrote; idleness is counted from wallNowMs. */
  restore(r: SnapshotReader, wallNowMs: number): void {
    this.clear(wallNowMs);
    this.watermark.restore({ maxEventTime: r.f64(), watermark: r.f64() }, wallNowMs);
    this.windows.restoreClock({ startMs: r.f64(), nextCloseEndMs: r.f64() });
    const ringPanes = this.size * this.ringSize;
    const filled = r.u32();
    for (let n = 0; n < filled; n++) {
      const i = r.u32();
      if (i >= ringPanes) throw new SaferoadsError('STATE_CORRUPT', `partition ${this.id}: saved pane ${i} outside its ${ringPanes} panes`);
      this.panes.restore(this.paneBase + i, r);
    }
    const detectors = r.u32();
    if (detectors !== this.detectors.length) {
      throw new SaferoadsError('STATE_CORRUPT', `partition ${this.id}: saved state has ${detectors} detectors, the network ${this.detectors.length}`);
    }
    for (const d of this.detectors) {
      this.gaps.restore(d, r);
      this.seqs.restore(d, r);
    }
  }

  /** Back to the state before any event: no clock, empty panes, queues and sequence windows. */
  clear(wallNowMs: number): void {
    this.watermark.restore(null, wallNowMs);
    this.windows.restoreClock(null);
    const panes = this.size * (this.ringSize + 1);
    for (let i = 0; i < panes; i++) this.panes.reset(this.paneBase + i);
    for (const d of this.detectors) {
      this.gaps.clear(d);
      this.seqs.forget(d);
    }
  }

  gap(detector: number, settled: Readonly<SettledGap>): void {
    const slot = this.windows.slotAt(settled.ts);
    if (slot >= 0) this.panes.addGap(this.pane(detector, slot), settled.gapS);
  }
}

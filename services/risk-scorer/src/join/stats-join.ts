import type { WindowRecords } from '@saferoads/model-spec';
import type { TrafficStats } from '@saferoads/shared/contracts';
import type { Network } from '@saferoads/shared/network';
import { joinConfig, type JoinConfig } from './config.js';
import { joinTopology, type JoinTopology } from './topology.js';
import type { EmitReason, JoinCounters, JoinedMinute, JoinedSegment, JoinOutcome, LateRecord, MissingRecord } from './types.js';

export interface StatsJoinOptions {
  readonly network: Network;
  /** The segments this instance scores (all by default). Records of the others serve as neighbours' records only. */
  readonly scored?: (segmentId: string) => boolean;
  readonly config?: Partial<JoinConfig>;
}

/** What one record did: its outcome, the minutes it let out, and the late report when it was late. */
export interface JoinStep {
  readonly outcome: JoinOutcome;
  readonly emitted: readonly JoinedMinute[];
  readonly late?: LateRecord;
}

interface OpenMinute {
  readonly endMs: number;
  /** The caller's clock when the minute's first record came. */
  readonly openedAtMs: number;
  /** Per network index, the segment's record of each window. */
  readonly m1: (TrafficStats | undefined)[];
  readonly m10: (TrafficStats | undefined)[];
  /** Needed records received. */
  received: number;
  /** Needed segments that have sent a record of a later minute. */
  movedOn: number;
}

/** A saved join: the open minutes' records and where the stream stands (for a snapshot). */
export interface StatsJoinState {
  readonly closedThroughMs: number | null;
  /** Each needed segment's newest window end seen. */
  readonly newest: Readonly<Record<string, number>>;
  readonly open: readonly { readonly endMs: number; readonly openedAtMs: number; readonly records: readonly TrafficStats[] }[];
}

const NONE: readonly JoinedMinute[] = [];

/**
 * The windowed stream-stream join of traffic.stats: per minute (window end), every scored
 * segment's 1- and 10-minute records with its upstream and downstream neighbours' records of the
 * same minute.
 *
 * A minute opens with its first record and is emitted, with whatever it has, at the first of:
 * every needed record arrived (`complete`); every needed segment has sent a record of a later
 * minute (`watermark`: each segment's records come in order, so nothing more will come for it);
 * maxWaitMs of the caller's clock after its first record (`timeout`, through tick(): a segment
 * whose stats stopped); more than maxOpenMinutes open (`superseded`, the state bound). Minutes
 * leave in event-time order: a minute emitted lets out every older one still open. A record of a
 * minute already emitted is late: counted and reported with the scored segments it would have
 * served, never re-emitted.
 *
 * Pure and deterministic: the same records, clock readings and ticks give the same minutes.
 */
export class StatsJoin {
  readonly config: JoinConfig;
  readonly topology: JoinTopology;
  readonly counters: JoinCounters = {
    records: 0,
    joined: 0,
    late: 0,
    duplicate: 0,
    unknownSegment: 0,
    unneeded: 0,
    minutes: 0,
    complete: 0,
    watermark: 0,
    timeout: 0,
    superseded: 0,
    flush: 0,
    missingRecords: 0,
  };
  private readonly open = new Map<number, OpenMinute>();
  /** Every minute up to here has been emitted (or skipped over): its records are late. */
  private closedThrough = Number.NEGATIVE_INFINITY;
  /** Per network index, the newest window end a needed segment has sent. */
  private readonly newest: Float64Array;

  constructor(opts: StatsJoinOptions) {
    this.config = joinConfig(opts.config);
    this.topology = joinTopology(opts.network, opts.scored);
    this.newest = new Float64Array(opts.network.segments.length).fill(Number.NEGATIVE_INFINITY);
  }

  /** Minutes waiting for records. */
  get openMinutes(): number {
    return this.open.size;
  }

  /** Every minute up to this window end has been emitted; -Infinity before the first. */
  get closedThroughMs(): number {
    return this.closedThrough;
  }

  /** When the oldest-opened minute times out (caller's clock), or null with none open. */
  nextDeadline(): number | null {
    let t: number | null = null;
    for (const m of this.open.values()) {
      const due = m.openedAtMs + this.config.maxWaitMs;
      if (t === null || due < t) t = due;
    }
    return t;
  }

  /** Takes one stats record at `nowMs` of the caller's clock. */
  add(record: TrafficStats, nowMs: number): JoinStep {
    this.counters.records++;
    const seg = this.topology.network.byId.get(record.segmentId);
    if (seg === undefined) return this.outcome('unknownSegment');
    const i = seg.index;
    if (this.topology.needed[i] === 0) return this.outcome('unneeded');
    const endMs = record.windowEndMs;
    if (endMs <= this.closedThrough) {
      this.counters.late++;
      const late: LateRecord = {
        segmentId: record.segmentId,
        window: record.window,
        windowEndMs: endMs,
        closedThroughMs: this.closedThrough,
        affects: this.topology.usedBy[i].map((j) => this.topology.network.segments[j].id),
      };
      return { outcome: 'late', emitted: NONE, late };
    }
    let minute = this.open.get(endMs);
    if (minute === undefined) minute = this.openMinute(endMs, nowMs);
    const slots = record.window === '1m' ? minute.m1 : minute.m10;
    if (slots[i] !== undefined) return this.outcome('duplicate');
    slots[i] = record;
    minute.received++;
    this.counters.joined++;

    const emitted: JoinedMinute[] = [];
    const before = this.newest[i];
    if (endMs > before) {
      this.newest[i] = endMs;
      // The segment has moved past every open minute in [before, endMs).
      for (const m of this.open.values()) if (m.endMs >= before && m.endMs < endMs) m.movedOn++;
    }
    if (minute.received === 2 * this.topology.neededCount) this.closeThrough(endMs, 'complete', emitted);
    let passed = Number.NEGATIVE_INFINITY;
    for (const m of this.open.values()) if (m.movedOn === this.topology.neededCount && m.endMs > passed) passed = m.endMs;
    if (passed !== Number.NEGATIVE_INFINITY) this.closeThrough(passed, 'watermark', emitted);
    while (this.open.size > this.config.maxOpenMinutes) this.closeThrough(Math.min(...this.open.keys()), 'superseded', emitted);
    return { outcome: 'joined', emitted };
  }

  /** Emits the minutes whose wait has run out by `nowMs` (and any older ones still open). */
  tick(nowMs: number): JoinedMinute[] {
    let due = Number.NEGATIVE_INFINITY;
    for (const m of this.open.values()) if (m.openedAtMs + this.config.maxWaitMs <= nowMs && m.endMs > due) due = m.endMs;
    const emitted: JoinedMinute[] = [];
    if (due !== Number.NEGATIVE_INFINITY) this.closeThrough(due, 'timeout', emitted);
    return emitted;
  }

  /** Emits every open minute (end of input). */
  flush(): JoinedMinute[] {
    const emitted: JoinedMinute[] = [];
    if (this.open.size > 0) this.closeThrough(Math.max(...this.open.keys()), 'flush', emitted, 'flush');
    return emitted;
  }

  /** The open minutes and where each input stands, for a snapshot. */
  save(): StatsJoinState {
    const newest: Record<string, number> = {};
    for (const s of this.topology.network.segments) if (Number.isFinite(this.newest[s.index])) newest[s.id] = this.newest[s.index];
    return {
      closedThroughMs: Number.isFinite(this.closedThrough) ? this.closedThrough : null,
      newest,
      open: [...this.open.values()]
        .sort((a, b) => a.endMs - b.endMs)
        .map((m) => ({ endMs: m.endMs, openedAtMs: m.openedAtMs, records: [...m.m1, ...m.m10].filter((r): r is TrafficStats => r !== undefined) })),
    };
  }

  /** Back to a saved state (counters are not part of it). */
  restore(state: StatsJoinState): void {
    this.open.clear();
    this.closedThrough = state.closedThroughMs ?? Number.NEGATIVE_INFINITY;
    this.newest.fill(Number.NEGATIVE_INFINITY);
    for (const [id, ms] of Object.entries(state.newest)) {
      const seg = this.topology.network.byId.get(id);
      if (seg !== undefined && this.topology.needed[seg.index] === 1) this.newest[seg.index] = ms;
    }
    for (const saved of state.open) {
      const m = this.openMinute(saved.endMs, saved.openedAtMs);
      for (const r of saved.records) {
        const seg = this.topology.network.byId.get(r.segmentId);
        if (seg === undefined || this.topology.needed[seg.index] === 0) continue;
        (r.window === '1m' ? m.m1 : m.m10)[seg.index] = r;
        m.received++;
      }
    }
  }

  /** A new open minute, knowing which segments have already moved past it. */
  private openMinute(endMs: number, openedAtMs: number): OpenMinute {
    const n = this.topology.network.segments.length;
    let movedOn = 0;
    for (let j = 0; j < n; j++) if (this.topology.needed[j] === 1 && this.newest[j] > endMs) movedOn++;
    const m: OpenMinute = { endMs, openedAtMs, m1: new Array(n), m10: new Array(n), received: 0, movedOn };
    this.open.set(endMs, m);
    return m;
  }

  private outcome(outcome: 'unknownSegment' | 'unneeded' | 'duplicate'): JoinStep {
    this.counters[outcome]++;
    return { outcome, emitted: NONE };
  }

  /** Emits every open minute ending at or before limitMs, oldest first; the one at limitMs gets `reason`. */
  private closeThrough(limitMs: number, reason: EmitReason, out: JoinedMinute[], olderReason: EmitReason = 'superseded'): void {
    if (limitMs > this.closedThrough) this.closedThrough = limitMs;
    if (this.open.size === 0) return;
    const ends = [...this.open.keys()].filter((e) => e <= limitMs).sort((a, b) => a - b);
    for (const e of ends) {
      const m = this.open.get(e)!;
      this.open.delete(e);
      out.push(this.emit(m, e === limitMs ? reason : olderReason));
    }
  }

  private emit(m: OpenMinute, reason: EmitReason): JoinedMinute {
    const { network, scored, upstream, downstream } = this.topology;
    const segments: JoinedSegment[] = [];
    const absent: string[] = [];
    const side = (list: readonly number[], gaps: MissingRecord[]): WindowRecords[] =>
      list.map((j) => {
        const r1 = m.m1[j] ?? null;
        const r10 = m.m10[j] ?? null;
        if (r1 === null) gaps.push({ segmentId: network.segments[j].id, window: '1m' });
        if (r10 === null) gaps.push({ segmentId: network.segments[j].id, window: '10m' });
        return { '1m': r1, '10m': r10 };
      });
    for (const i of scored) {
      const segmentId = network.segments[i].id;
      const r1 = m.m1[i] ?? null;
      const r10 = m.m10[i] ?? null;
      if (r1 === null && r10 === null) {
        absent.push(segmentId);
        continue;
      }
      const own = [...(r1 === null ? ['1m' as const] : []), ...(r10 === null ? ['10m' as const] : [])];
      const up: MissingRecord[] = [];
      const down: MissingRecord[] = [];
      const inputs = { own: { '1m': r1, '10m': r10 }, upstream: side(upstream[i], up), downstream: side(downstream[i], down) };
      segments.push({ segmentId, index: i, inputs, missing: { own, upstream: up, downstream: down }, complete: own.length + up.length + down.length === 0 });
    }
    const missingRecords = 2 * this.topology.neededCount - m.received;
    this.counters.minutes++;
    this.counters[reason]++;
    this.counters.missingRecords += missingRecords;
    return { windowEndMs: m.endMs, reason, segments, absent, missingRecords };
  }
}

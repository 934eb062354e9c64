import type { SnapshotReader, SnapshotWriter } from '@saferoads/shared/runtime';

/** Seconds a vehicle of lengthM at speedKmh takes to pass a point: its rear follows its front by this. */
export function rearDelayS(lengthM: number, speedKmh: number): number {
  return lengthM / (speedKmh / 3.6);
}

/** A vehicle as gap derivation needs it (a Detection is one). */
export interface LaneVehicle {
  readonly ts: number;
  readonly speedKmh: number;
  readonly lengthM: number;
  readonly gapS?: number;
}

/**
 * A vehicle whose gap is final, handed to a GapSink in one reused object: doubles passed as
 * arguments to a call V8 does not inline are boxed, an allocation each.
 */
export interface SettledGap {
  ts: number;
  gapS: number;
}

/** Receives the gaps GapQueues.settle derives, in event-time order per detector. */
export interface GapSink {
  gap(detector: number, settled: Readonly<SettledGap>): void;
}

// A detector's home record: a header, then the first INLINE queue entries. Header ints (an
// Int32Array view of the same buffer): capacity (a power of two), head, count, and the offset of
// an outgrown queue's entries elsewhere in the slab (-1 while they fit at home); then the previous
// settled vehicle as doubles: ts (NaN before the first) and rear delay.
const CAP = 0;
const HEAD = 1;
const COUNT = 2;
const EXT = 3;
const PREV_TS = 2;
const PREV_REAR = 3;
const HEADER = 4; // doubles
const ENTRY = 3; // ts, rear delay, reported gap (NaN when none)
/** Entries a queue holds at home: enough for a busy lane with the default out-of-orderness. */
const INLINE = 8;
const HOME = HEADER + INLINE * ENTRY;

/**
 * Puts each lane's vehicles back in event-time order before gaps are derived. Vehicles wait
 * until the watermark passes them; since later arrivals within the out-of-orderness bound cannot
 * precede the watermark, each vehicle's predecessor is then final. A queue holds only the
 * vehicles of the last few seconds, so state stays O(lanes).
 *
 * All detectors' queues are ring buffers in one Float64Array, as numbers rather than retained
 * Detection objects. Detector d's record sits at a fixed place (d * HOME), so everything an event
 * needs is in a few adjacent cache lines. A queue that outgrows its home moves its entries to a
 * region twice the size elsewhere in the slab, and back home when short again; regions left are
 * reused, so the slab is bounded by the longest queues.
 */
export class GapQueues {
  private slab: Float64Array;
  private ints: Int32Array;
  private used: number;
  private readonly settled: SettledGap = { ts: Number.NaN, gapS: Number.NaN };
  /** Regions queues have moved out of, by capacity, for the next queue of that size. */
  private readonly free = new Map<number, number[]>();

  constructor(readonly detectors: number) {
    this.used = Math.max(1, detectors) * HOME;
    this.slab = new Float64Array(this.used);
    this.ints = new Int32Array(this.slab.buffer);
    for (let d = 0; d < detectors; d++) {
      const h = d * HOME;
      this.ints[2 * h + CAP] = INLINE;
      this.ints[2 * h + EXT] = -1;
      this.slab[h + PREV_TS] = Number.NaN;
    }
  }

  /**
   * Queues a vehicle of detector d that arrived at or after the watermark. Takes the vehicle
   * object rather than its numbers: doubles passed to a call V8 does not inline are boxed.
   */
  push(d: number, v: LaneVehicle): void {
    const h = d * HOME;
    const hi = 2 * h;
    if (this.ints[hi + COUNT] === this.ints[hi + CAP]) this.grow(h);
    const q = this.slab;
    const st = this.ints;
    const mask = st[hi + CAP] - 1;
    const head = st[hi + HEAD];
    const ext = st[hi + EXT];
    const base = ext < 0 ? h + HEADER : ext;
    const ts = v.ts;
    // Arrival order within a lane is almost always event-time order: append, else insert after
    // equals, moving later entries up one place as the search passes them.
    let i = st[hi + COUNT];
    while (i > 0) {
      const from = base + ((head + i - 1) & mask) * ENTRY;
      if (q[from] <= ts) break;
      const to = base + ((head + i) & mask) * ENTRY;
      q[to] = q[from];
      q[to + 1] = q[from + 1];
      q[to + 2] = q[from + 2];
      i--;
    }
    const e = base + ((head + i) & mask) * ENTRY;
    q[e] = ts;
    q[e + 1] = rearDelayS(v.lengthM, v.speedKmh);
    // A reported gap wins over the derived one; NaN marks none (a schema-valid gap is a number >= 0).
    q[e + 2] = v.gapS ?? Number.NaN;
    st[hi + COUNT]++;
  }

  /** Derives gaps for every queued vehicle of d with ts <= watermark, in event-time order. */
  settle(d: number, watermarkMs: number, sink: GapSink): void {
    const h = d * HOME;
    const hi = 2 * h;
    const st = this.ints;
    let count = st[hi + COUNT];
    if (count === 0) return;
    const q = this.slab;
    const mask = st[hi + CAP] - 1;
    let head = st[hi + HEAD];
    const ext = st[hi + EXT];
    const base = ext < 0 ? h + HEADER : ext;
    if (q[base + head * ENTRY] > watermarkMs) return;
    let prevTs = q[h + PREV_TS];
    let prevRear = q[h + PREV_REAR];
    const out = this.settled;
    do {
      const e = base + head * ENTRY;
      const ts = q[e];
      if (ts > watermarkMs) break;
      const reported = q[e + 2];
      // NaN: no reported gap, or (prevTs) no predecessor yet.
      if (reported === reported) {
        out.ts = ts;
        out.gapS = reported;
        sink.gap(d, out);
      } else if (prevTs === prevTs) {
        // From the rear of the previous vehicle to the front of this one:
        // (t_i - t_{i-1}) - L_{i-1} / v_{i-1}, never below zero (overlap is measurement noise).
        const g = (ts - prevTs) / 1000 - prevRear;
        out.ts = ts;
        out.gapS = g > 0 ? g : 0;
        sink.gap(d, out);
      }
      prevTs = ts;
      prevRear = q[e + 1];
      head = (head + 1) & mask;
      count--;
    } while (count > 0);
    q[h + PREV_TS] = prevTs;
    q[h + PREV_REAR] = prevRear;
    st[hi + HEAD] = head;
    st[hi + COUNT] = count;
    // A queue that outgrew its home goes back once short again (half the home's room, so a
    // queue hovering at the limit does not move on every event): the warm-up reads the home only.
    if (ext >= 0 && count <= INLINE / 2) this.moveQueue(h, -1, INLINE);
  }

  /** Reads d's home record and returns a meaningless number: see TrafficStatsStage's warm-up. */
  peek(d: number): number {
    const h = d * HOME;
    const q = this.slab;
    // One read per cache line of the record (8 doubles each); which entries the event needs
    // depends on the head, and reading that first would serialise the misses again.
    return (this.ints[2 * h + COUNT] + q[h + 8] + q[h + 16] + q[h + HOME - 1]) | 0;
  }

  /** Saves d's queue: its previous settled vehicle, then its queued vehicles, oldest first. */
  save(d: number, w: SnapshotWriter): void {
    const h = d * HOME;
    const st = this.ints;
    w.f64(this.slab[h + PREV_TS]);
    w.f64(this.slab[h + PREV_REAR]);
    const count = st[2 * h + COUNT];
    const mask = st[2 * h + CAP] - 1;
    const head = st[2 * h + HEAD];
    const ext = st[2 * h + EXT];
    const base = ext < 0 ? h + HEADER : ext;
    w.u32(count);
    for (let i = 0; i < count; i++) w.f64s(this.slab, base + ((head + i) & mask) * ENTRY, ENTRY);
  }

  /** Replaces d's queue with what save() wrote. */
  restore(d: number, r: SnapshotReader): void {
    const h = d * HOME;
    this.clear(d);
    this.slab[h + PREV_TS] = r.f64();
    this.slab[h + PREV_REAR] = r.f64();
    const count = r.u32();
    const hi = 2 * h;
    for (let i = 0; i < count; i++) {
      if (this.ints[hi + COUNT] === this.ints[hi + CAP]) this.grow(h);
      const ext = this.ints[hi + EXT];
      const base = ext < 0 ? h + HEADER : ext;
      // Saved oldest first into an emptied queue (head 0): entry i goes to slot i.
      r.f64s(this.slab, base + i * ENTRY, ENTRY);
      this.ints[hi + COUNT]++;
    }
  }

  /** Empties d's queue and forgets its previous vehicle. */
  clear(d: number): void {
    const h = d * HOME;
    const hi = 2 * h;
    this.ints[hi + COUNT] = 0;
    if (this.ints[hi + EXT] >= 0) this.moveQueue(h, -1, INLINE);
    this.ints[hi + HEAD] = 0;
    this.slab[h + PREV_TS] = Number.NaN;
    this.slab[h + PREV_REAR] = 0;
  }

  pendingCount(d: number): number {
    return this.ints[2 * d * HOME + COUNT];
  }

  /** Moves the full queue of the record at h into a region of twice its capacity. */
  private grow(h: number): void {
    const cap = 2 * this.ints[2 * h + CAP];
    const reused = this.free.get(cap)?.pop();
    if (reused !== undefined) {
      this.moveQueue(h, reused, cap);
      return;
    }
    const to = this.used;
    this.used += cap * ENTRY;
    if (this.used > this.slab.length) {
      const grown = new Float64Array(Math.max(Math.ceil(this.slab.length * 1.5), this.used));
      grown.set(this.slab);
      this.slab = grown;
      this.ints = new Int32Array(grown.buffer);
    }
    this.moveQueue(h, to, cap);
  }

  /**
   * Moves the queue of the record at h, oldest entry first, to a ring of capacity cap at `to`
   * (-1: back home), and frees the region it leaves.
   */
  private moveQueue(h: number, to: number, cap: number): void {
    const hi = 2 * h;
    const st = this.ints;
    const q = this.slab;
    const fromCap = st[hi + CAP];
    const head = st[hi + HEAD];
    const ext = st[hi + EXT];
    const from = ext < 0 ? h + HEADER : ext;
    const base = to < 0 ? h + HEADER : to;
    for (let i = 0; i < st[hi + COUNT]; i++) {
      const src = from + ((head + i) & (fromCap - 1)) * ENTRY;
      q.copyWithin(base + i * ENTRY, src, src + ENTRY);
    }
    if (ext >= 0) {
      const list = this.free.get(fromCap);
      if (list) list.push(ext);
      else this.free.set(fromCap, [ext]);
    }
    st[hi + CAP] = cap;
    st[hi + HEAD] = 0;
    st[hi + EXT] = to;
  }
}

import type { Detection, FieldError, TrafficStats } from '@saferoads/shared/contracts';
import type { Network } from '@saferoads/shared/network';
import { createHash } from 'node:crypto';
import { MINUTE_MS, SnapshotReader, SnapshotWriter, alignDown } from '@saferoads/shared/runtime';
import { SaferoadsError } from '@saferoads/shared/errors';
import { trafficStatsConfig, type TrafficStatsConfig } from './config.js';
import { GapQueues } from './gaps.js';
import { TrafficPanes, type VehicleObservation } from './pane.js';
import { Partition, type PartitionDeps } from './partition.js';
import { Segments } from './segments.js';
import { SeqWindows } from './seq-window.js';

import { STATS_WINDOWS } from './windows.js';

export { STATS_WINDOWS };

/** Layout version of savePartition()'s bytes. */
const SNAPSHOT_VERSION = 1;

/** Where the stage's results go. Called synchronously from process/tick/flush. */
export interface StatsSink {
  stats(record: TrafficStats, partition: number): void;
  /** An event whose 1-minute window had already closed: counted in lateCount and kept here. */
  late(detection: Detection, partition: number): void;
  /** A schema-valid detection the network cannot place. */
  rejected(detection: Detection, errors: FieldError[], partition: number): void;
}

export interface StageCounters {
  accepted: number;
  late: number;
  /** Arrived behind the watermark but inside grace: counted in every statistic but the gaps. */
  outOfOrder: number;
  duplicates: number;
  rejected: number;
  windowsClosed: number;
}

export interface TrafficStatsStageOptions {
  readonly network: Network;
  readonly sink: StatsSink;
  readonly config?: Partial<TrafficStatsConfig>;
  /** Kafka's partitioner for a segment key; all segments on partition 0 by default. */
  readonly partitionOf?: (segmentId: string, partitions: number) => number;
  /** Wall clock for idle watermark advance; absent offline. */
  readonly wallClock?: () => number;
}

/**
 * The traffic-statistics stage: detections in, closed 1-minute and 10-minute windows out. Pure
 * computation over callbacks, so the Kafka service, the in-process pipeline and the offline
 * `saferoads stats` run the same code.
 *
 * Built for a million detections a second on one core with tens of thousands of lanes: state lives
 * in typed arrays indexed by detector and pane number (SeqWindows, GapQueues, TrafficPanes), not
 * in objects per lane or pane, so an event costs a handful of cache misses, taken together (see
 * warmUp), and allocates little.
 */
export class TrafficStatsStage {
  readonly config: TrafficStatsConfig;
  readonly counters: StageCounters = { accepted: 0, late: 0, outOfOrder: 0, duplicates: 0, rejected: 0, windowsClosed: 0 };
  /** Detector id to detector number (see Segments). */
  private readonly detectors = new Map<string, number>();
  private readonly segments: Segments;
  private readonly partitions = new Map<number, Partition>();
  /** Closed partitions, cleared, kept with their pane storage for when they come back. */
  private readonly parked = new Map<number, Partition>();
  private fingerprintCache = '';
  /** The same partitions by id, for the per-event lookup. */
  private readonly byId: (Partition | undefined)[] = [];
  private readonly deps: PartitionDeps;
  private readonly seqs: SeqWindows;
  private readonly gaps: GapQueues;
  private readonly panes: TrafficPanes;
  /** See warmUp. */
  private warmed = 0;
  private readonly obs: VehicleObservation = { laneIndex: 0, speedKmh: 0, lengthM: 0, occupancyMs: 0 };

  constructor(private readonly opts: TrafficStatsStageOptions) {
    this.config = trafficStatsConfig(opts.config);
    const { segments } = opts.network;
    let maxLanes = 1;
    for (const seg of segments) maxLanes = Math.max(maxLanes, seg.props.lanes);
    const partitionOf = opts.partitionOf ?? (() => 0);
    this.segments = new Segments(
      maxLanes,
      segments.map((seg) => partitionOf(seg.id, this.config.partitions)),
    );
    const detectorSlots = segments.length * maxLanes;
    this.seqs = new SeqWindows(detectorSlots);
    this.gaps = new GapQueues(detectorSlots);
    // Pane storage is reserved for every segment when the first partition opens (see partition()).
    this.panes = new TrafficPanes(maxLanes);
    this.deps = { config: this.config, segments: this.segments, panes: this.panes, gaps: this.gaps, seqs: this.seqs };
    segments.forEach((seg, s) => {
      this.segments.ctx.push({
        segmentId: seg.id,
        lanes: seg.props.lanes,
        speedLimitKmh: seg.props.speedLimitKmh,
        truckMinLengthM: this.config.truckMinLengthM,
      });
      for (const d of seg.props.detectors) this.detectors.set(d.detectorId, s * maxLanes + d.lane - 1);
    });
  }

  /** Feeds one schema-valid detection read from `partition`. */
  process(det: Detection, partition = 0): void {
    const d = this.detectors.get(det.detectorId);
    if (d === undefined) {
      this.reject(det, [{ field: 'detectorId', reason: `unknown detector ${JSON.stringify(det.detectorId)} (not in the road network)` }], partition);
      return;
    }
    const segs = this.segments;
    const seg = segs.segmentOf(d);
    if (segs.partition[seg] !== partition) {
      this.reject(det, [{ field: 'detectorId', reason: `segment ${segs.ctx[seg].segmentId} belongs to partition ${segs.partition[seg]}, not ${partition}` }], partition);
      return;
    }
    const laneIndex = segs.laneOf(d);
    if (det.lane !== laneIndex + 1) {
      this.reject(det, [{ field: 'lane', reason: `detector ${det.detectorId} is on lane ${laneIndex + 1}, not ${det.lane}` }], partition);
      return;
    }
    const open = this.byId[partition];
    if (open !== undefined) this.warmUp(d, det, open);
    if (det.seq !== undefined && this.seqs.seen(d, det.seq)) {
      this.counters.duplicates++;
      return;
    }
    const part = open ?? this.partition(partition);
    const slot = part.place(det, this.opts.wallClock?.());
    this.counters.windowsClosed += part.closed;
    if (slot < 0) {
      this.counters.late++;
      this.panes.addLate(part.latePane(d));
      this.opts.sink.late(det, partition);
      return;
    }
    const pane = part.pane(d, slot);
    // A reused observation object: its double fields are updated in place, where doubles passed
    // as arguments to a call V8 does not inline would each be boxed (allocated).
    const o = this.obs;
    o.laneIndex = laneIndex;
    o.speedKmh = det.speedKmh;
    o.lengthM = det.lengthM;
    o.occupancyMs = det.occupancyMs ?? ((det.lengthM + this.config.loopLengthM) / (det.speedKmh / 3.6)) * 1000;
    this.panes.add(pane, o, segs.ctx[seg]);
    this.counters.accepted++;
    if (part.inOrder) {
      part.queueForGap(d, det);
    } else {
      this.counters.outOfOrder++;
      if (det.gapS !== undefined) this.panes.addGap(pane, det.gapS);
    }
  }

  /**
   * Touches every cache line the event will need before any is used. With 10,000 segments the
   * hot state far exceeds L2, and each structure's line is a likely miss; loaded one after another
   * as the event is processed, the misses queue up, whereas loaded together they overlap. The
   * sum goes to a field only so the loads cannot be dropped as dead code.
   */
  private warmUp(d: number, det: Detection, part: Partition): void {
    this.warmed = this.seqs.peek(d) + this.gaps.peek(d) + this.panes.peek(part.paneFor(d, det), det);
  }

  /**
   * Advances idle partitions' watermarks with the wall clock (call every second or so when live).
   * `only` limits it to the partitions known to be idle rather than cut off (see the bus runner).
   */
  tick(wallNowMs: number, only?: ReadonlySet<number>): void {
    for (const [id, part] of this.partitions) {
      if (only && !only.has(id)) continue;
      this.counters.windowsClosed += part.windows.advance(part.watermark.current(wallNowMs));
    }
  }

  /**
   * End of input: every window ending by the end of the last minute that holds data is closed.
   * Windows reaching further would cover time with no input at all, so they are not reported.
   */
  flush(): void {
    for (const part of this.partitions.values()) {
      const maxTs = part.watermark.maxEventTime;
      if (maxTs === Number.NEGATIVE_INFINITY) continue;
      part.settleAll(Number.POSITIVE_INFINITY);
      const end = alignDown(maxTs, MINUTE_MS) + MINUTE_MS;
      part.watermark.advanceTo(end);
      this.counters.windowsClosed += part.windows.flushUntil(end);
    }
  }

  /** Creates a partition's state (on assignment), so its idle segments get windows before any event. */
  open(partition: number): void {
    this.partition(partition);
  }

  /**
   * The partition's whole state as bytes, for a checkpoint: restorePartition() on a stage with
   * the same network and configuration carries on exactly where this one stands.
   */
  savePartition(partition: number): Uint8Array {
    const part = this.partitions.get(partition);
    if (!part) throw new SaferoadsError('STATE_INVARIANT', `partition ${partition} is not open`);
    const w = new SnapshotWriter();
    w.u32(SNAPSHOT_VERSION);
    w.string(this.fingerprint());
    w.u32(partition);
    part.save(w);
    return w.bytes();
  }

  /** Opens the partition with the state savePartition() wrote (replacing any it had). */
  restorePartition(partition: number, bytes: Uint8Array): void {
    const r = new SnapshotReader(bytes);
    const version = r.u32();
    if (version !== SNAPSHOT_VERSION) throw new SaferoadsError('STATE_CORRUPT', `partition ${partition}: snapshot version ${version}, this stage reads ${SNAPSHOT_VERSION}`);
    const saved = r.string();
    if (saved !== this.fingerprint()) {
      throw new SaferoadsError(
        'STATE_CORRUPT',
        `partition ${partition}: the snapshot was written with another network or window configuration (${saved}, now ${this.fingerprint()}); ` +
          'its windows cannot be carried on: start a new consumer group to begin afresh',
      );
    }
    const id = r.u32();
    if (id !== partition) throw new SaferoadsError('STATE_CORRUPT', `snapshot of partition ${id} offered for partition ${partition}`);
    this.partition(partition).restore(r, this.opts.wallClock?.() ?? 0);
    r.end();
  }

  /** Forgets a partition's state (it was handed to another instance); its storage is kept for reuse. */
  closePartition(partition: number): void {
    const part = this.partitions.get(partition);
    if (!part) return;
    part.clear(this.opts.wallClock?.() ?? 0);
    this.partitions.delete(partition);
    this.byId[partition] = undefined;
    this.parked.set(partition, part);
  }

  /** What a snapshot must agree on to be carried on: window layout, thresholds, partitioning, network. */
  private fingerprint(): string {
    if (this.fingerprintCache) return this.fingerprintCache;
    const c = this.config;
    const network = createHash('sha256');
    for (const ctx of this.segments.ctx) network.update(`${ctx.segmentId}/${ctx.lanes}/${ctx.speedLimitKmh};`);
    for (const [id, d] of this.detectors) network.update(`${id}=${d};`);
    this.fingerprintCache = [
      STATS_WINDOWS.map((w) => `${w.name}:${w.sizeMs}/${w.advanceMs}`).join(','),
      `ooo=${c.outOfOrdernessMs}`,
      `grace=${c.graceMs}`,
      `truck=${c.truckMinLengthM}`,
      `loop=${c.loopLengthM}`,
      `partitions=${c.partitions}`,
      `network=${network.digest('hex').slice(0, 16)}`,
    ].join(' ');
    return this.fingerprintCache;
  }

  /** Partitions this instance has state for. */
  get activePartitions(): number[] {
    return [...this.partitions.keys()];
  }

  /** Current watermark of a partition (-Infinity before its first event). */
  watermarkOf(partition: number): number {
    return this.partitions.get(partition)?.watermark.current() ?? Number.NEGATIVE_INFINITY;
  }

  private reject(det: Detection, errors: FieldError[], partition: number): void {
    this.counters.rejected++;
    this.opts.sink.rejected(det, errors, partition);
  }

  private partition(id: number): Partition {
    const existing = this.partitions.get(id);
    if (existing) return existing;
    const parked = this.parked.get(id);
    if (parked) {
      this.parked.delete(id);
      this.partitions.set(id, parked);
      this.byId[id] = parked;
      return parked;
    }
    if (!(Number.isInteger(id) && id >= 0 && id < this.config.partitions)) {
      throw new SaferoadsError('STATE_INVARIANT', `partition ${id} outside 0..${this.config.partitions - 1}`);
    }
    const { opts, segments: segs } = this;
    const part = new Partition(id, this.deps, (record) => opts.sink.stats(record, id), opts.wallClock?.() ?? 0);
    // Network order, as the detectors were registered: segments get keys, and gaps are settled, in it.
    for (const d of this.detectors.values()) if (segs.partition[segs.segmentOf(d)] === id) part.addDetector(d);
    this.partitions.set(id, part);
    this.byId[id] = part;
    return part;
  }
}

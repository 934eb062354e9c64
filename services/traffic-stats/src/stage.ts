import type { Detection, FieldError, TrafficStats } from '@saferoads/shared/contracts';
import type { Network } from '@saferoads/shared/network';
import { MINUTE_MS, PaneWindows, WatermarkTracker, alignDown, hopping, tumbling } from '@saferoads/shared/runtime';
import type { KeyHandle } from '@saferoads/shared/runtime';
import { SaferoadsError } from '@saferoads/shared/errors';
import { trafficStatsConfig, type TrafficStatsConfig } from './config.js';
import { LaneGaps, type LaneVehicle } from './gaps.js';
import { HistogramSlab } from './histogram.js';
import { addGap, addLate, trafficAggregator, type TrafficPane, type VehicleObservation } from './pane.js';
import type { SegmentContext } from './segment-context.js';
import { SeqWindow } from './seq-window.js';

export const STATS_WINDOWS = [tumbling('1m', MINUTE_MS), hopping('10m', 10 * MINUTE_MS, MINUTE_MS)] as const;

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

interface LaneState {
  readonly detectorId: string;
  readonly laneIndex: number;
  readonly partition: number;
  readonly ctx: SegmentContext;
  readonly seqs: SeqWindow;
  readonly gaps: LaneGaps;
  handle: KeyHandle<TrafficPane, SegmentContext> | null;
  onGap: (v: LaneVehicle, gapS: number) => void;
}

interface PartitionState {
  readonly id: number;
  readonly watermark: WatermarkTracker;
  readonly windows: PaneWindows<TrafficPane, TrafficStats, SegmentContext>;
  readonly lanes: LaneState[];
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
 */
export class TrafficStatsStage {
  readonly config: TrafficStatsConfig;
  readonly counters: StageCounters = { accepted: 0, late: 0, outOfOrder: 0, duplicates: 0, rejected: 0, windowsClosed: 0 };
  private readonly lanes = new Map<string, LaneState>();
  private readonly partitions = new Map<number, PartitionState>();
  private readonly obs: VehicleObservation = { laneIndex: 0, speedKmh: 0, lengthM: 0, occupancyMs: 0 };
  private readonly histograms: HistogramSlab;
  private readonly aggregator: ReturnType<typeof trafficAggregator>;

  constructor(private readonly opts: TrafficStatsStageOptions) {
    this.config = trafficStatsConfig(opts.config);
    // Sized up front: each segment holds a ring of panes plus one to merge into.
    const ring = 10 + Math.ceil((this.config.outOfOrdernessMs + this.config.graceMs) / MINUTE_MS) + 1;
    this.histograms = new HistogramSlab(Math.max(1, opts.network.segments.length) * ring);
    this.aggregator = trafficAggregator(this.histograms);
    const partitionOf = opts.partitionOf ?? (() => 0);
    for (const seg of opts.network.segments) {
      const ctx: SegmentContext = {
        segmentId: seg.id,
        lanes: seg.props.lanes,
        speedLimitKmh: seg.props.speedLimitKmh,
        truckMinLengthM: this.config.truckMinLengthM,
      };
      const partition = partitionOf(seg.id, this.config.partitions);
      for (const d of seg.props.detectors) {
        const lane: LaneState = {
          detectorId: d.detectorId,
          laneIndex: d.lane - 1,
          partition,
          ctx,
          seqs: new SeqWindow(),
          gaps: new LaneGaps(),
          handle: null,
          onGap: () => undefined,
        };
        this.lanes.set(d.detectorId, lane);
      }
    }
  }

  /** Feeds one schema-valid detection read from `partition`. */
  process(det: Detection, partition = 0): void {
    const lane = this.lanes.get(det.detectorId);
    if (lane === undefined) {
      this.reject(det, [{ field: 'detectorId', reason: `unknown detector ${JSON.stringify(det.detectorId)} (not in the road network)` }], partition);
      return;
    }
    if (lane.partition !== partition) {
      this.reject(det, [{ field: 'detectorId', reason: `segment ${lane.ctx.segmentId} belongs to partition ${lane.partition}, not ${partition}` }], partition);
      return;
    }
    if (det.lane !== lane.laneIndex + 1) {
      this.reject(det, [{ field: 'lane', reason: `detector ${det.detectorId} is on lane ${lane.laneIndex + 1}, not ${det.lane}` }], partition);
      return;
    }
    if (det.seq !== undefined && lane.seqs.seen(det.seq)) {
      this.counters.duplicates++;
      return;
    }
    const part = this.partition(partition);
    const before = part.watermark.current();
    const wm = part.watermark.observe(det.ts, this.opts.wallClock?.());
    this.counters.windowsClosed += part.windows.advance(wm);
    const handle = lane.handle as KeyHandle<TrafficPane, SegmentContext>;
    const pane = part.windows.paneAt(handle, det.ts);
    if (pane === null) {
      this.counters.late++;
      addLate(part.windows.paneAt(handle, part.windows.openFromMs) as TrafficPane);
      this.opts.sink.late(det, partition);
      return;
    }
    const o = this.obs;
    o.laneIndex = lane.laneIndex;
    o.speedKmh = det.speedKmh;
    o.lengthM = det.lengthM;
    o.occupancyMs = det.occupancyMs ?? ((det.lengthM + this.config.loopLengthM) / (det.speedKmh / 3.6)) * 1000;
    this.aggregator.add(pane, o, lane.ctx);
    this.counters.accepted++;
    if (det.ts >= before) {
      lane.gaps.push(det);
      lane.gaps.settle(wm, lane.onGap);
    } else {
      this.counters.outOfOrder++;
      if (det.gapS !== undefined) addGap(pane, det.gapS);
    }
  }

  /** Advances idle partitions' watermarks with the wall clock (call every second or so when live). */
  tick(wallNowMs: number): void {
    for (const part of this.partitions.values()) {
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
      for (const lane of part.lanes) lane.gaps.settle(Number.POSITIVE_INFINITY, lane.onGap);
      const end = alignDown(maxTs, MINUTE_MS) + MINUTE_MS;
      part.watermark.advanceTo(end);
      this.counters.windowsClosed += part.windows.flushUntil(end);
    }
  }

  /** Creates a partition's state (on assignment), so its idle segments get windows before any event. */
  open(partition: number): void {
    this.partition(partition);
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

  private partition(id: number): PartitionState {
    const existing = this.partitions.get(id);
    if (existing) return existing;
    if (!(Number.isInteger(id) && id >= 0 && id < this.config.partitions)) {
      throw new SaferoadsError('STATE_INVARIANT', `partition ${id} outside 0..${this.config.partitions - 1}`);
    }
    const { config, opts } = this;
    const lanes: LaneState[] = [];
    const windows = new PaneWindows<TrafficPane, TrafficStats, SegmentContext>({
      paneMs: MINUTE_MS,
      windows: STATS_WINDOWS,
      graceMs: config.graceMs,
      outOfOrdernessMs: config.outOfOrdernessMs,
      aggregator: this.aggregator,
      emit: (_key, _ctx, record) => opts.sink.stats(record, id),
      // Gaps of vehicles the watermark has passed are final; they must land before their windows close.
      beforeClose: () => {
        const wm = part.watermark.current();
        for (const lane of lanes) lane.gaps.settle(wm, lane.onGap);
      },
    });
    const part: PartitionState = {
      id,
      watermark: new WatermarkTracker(
        { outOfOrdernessMs: config.outOfOrdernessMs, idleTimeoutMs: config.idleTimeoutMs },
        opts.wallClock?.() ?? 0,
      ),
      windows,
      lanes,
    };
    for (const lane of this.lanes.values()) {
      if (lane.partition !== id) continue;
      windows.addKey(lane.ctx.segmentId, lane.ctx);
      const handle = windows.handle(lane.ctx.segmentId) as KeyHandle<TrafficPane, SegmentContext>;
      lane.handle = handle;
      lane.onGap = (v, gapS) => {
        const pane = windows.paneAt(handle, v.ts);
        if (pane !== null) addGap(pane, gapS);
      };
      lanes.push(lane);
    }
    this.partitions.set(id, part);
    return part;
  }
}

import { CONTEXT_FEATURE_COUNT, type ContextFeatureAssembler, type WeatherTable } from '@saferoads/context';
import { FeatureRowBuilder, type FeatureSpec } from '@saferoads/model-spec';
import { ConfigError } from '@saferoads/shared/errors';
import type { Network } from '@saferoads/shared/network';
import type { JoinedMinute, JoinedSegment } from '../join/types.js';

const MINUTE_MS = 60_000;

/** The feature rows of every segment scored in one minute: one model input tensor [rows, width]. */
export interface FeatureBatch {
  readonly windowEndMs: number;
  readonly rows: number;
  readonly width: number;
  /** Row r is segments[r]'s features, in the spec's order, at data[r * width ..]. */
  readonly data: Float32Array;
  readonly segments: readonly JoinedSegment[];
  /** Per row, how many features took their default (no record, a null field, no neighbour, no weather). */
  readonly defaults: Uint16Array;
}

export interface FeatureBatchBuilderOptions {
  readonly spec: FeatureSpec;
  /** The network the join runs on; the assembler must have been built from the same one. */
  readonly network: Network;
  readonly assembler: ContextFeatureAssembler;
}

/**
 * Builds a minute's feature batch: each joined segment-minute plus its context features (road
 * shape, calendar, sun, weather from the table) as one row in the spec's order, through the spec's
 * FeatureRowBuilder: nothing here knows the order.
 *
 * Context is taken at the start of the scored 1-minute window (windowEndMs - 1 minute), with the
 * weather table as it stands: the same instant the training data uses (@saferoads/crashes).
 */
export class FeatureBatchBuilder {
  readonly rows: FeatureRowBuilder;
  private readonly assembler: ContextFeatureAssembler;
  private readonly context = new Float64Array(CONTEXT_FEATURE_COUNT);

  constructor(opts: FeatureBatchBuilderOptions) {
    const problems: string[] = [];
    const shapes = opts.assembler.shapes;
    if (shapes.length !== opts.network.segments.length) {
      problems.push(`assembler: built for ${shapes.length} segments, the network has ${opts.network.segments.length}`);
    } else {
      const wrong = opts.network.segments.filter((s) => shapes[s.index].segmentId !== s.id).map((s) => s.id);
      if (wrong.length > 0) problems.push(`assembler: built from another network (segments ${wrong.slice(0, 3).join(', ')} differ)`);
    }
    if (problems.length > 0) throw new ConfigError('risk-scorer features', problems);
    this.rows = new FeatureRowBuilder(opts.spec);
    this.assembler = opts.assembler;
  }

  get width(): number {
    return this.rows.width;
  }

  /** The batch of `minute`'s segments, with weather from `table` as it is now. */
  build(minute: JoinedMinute, table: WeatherTable): FeatureBatch {
    const n = minute.segments.length;
    const width = this.rows.width;
    const data = new Float32Array(n * width);
    const defaults = new Uint16Array(n);
    const contextMs = minute.windowEndMs - MINUTE_MS;
    for (let r = 0; r < n; r++) {
      const s = minute.segments[r];
      this.assembler.write(s.index, contextMs, table, this.context, 0);
      // A literal of one shape, not a spread: the row builder's readers then see one hidden class.
      const x = { own: s.inputs.own, upstream: s.inputs.upstream, downstream: s.inputs.downstream, context: this.context, contextOffset: 0 };
      defaults[r] = this.rows.write(x, data, r * width);
    }
    return { windowEndMs: minute.windowEndMs, rows: n, width, data, segments: minute.segments, defaults };
  }
}

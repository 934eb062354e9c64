import { FEATURE_INDEX } from '@saferoads/context';
import type { TrafficStats, WindowName } from '@saferoads/shared/contracts';
import type { StatsField } from '../spec/stats-fields.js';
import type { FeatureSource, FeatureSpec } from '../spec/types.js';

/** A segment's records of one minute, by window; absent or null where not (yet) there. */
export interface WindowRecords {
  readonly '1m'?: TrafficStats | null;
  readonly '10m'?: TrafficStats | null;
}

/** Everything a feature row of one segment-minute is built from. */
export interface SegmentMinuteInputs {
  readonly own: WindowRecords;
  /** One entry per upstream neighbour the network gives the segment (empty at a carriageway's start). */
  readonly upstream: readonly WindowRecords[];
  /** One entry per downstream neighbour (empty at a carriageway's end). */
  readonly downstream: readonly WindowRecords[];
  /** The segment's context features in CONTEXT_FEATURES order, from `contextOffset` (a ContextFeatureAssembler row). */
  readonly context?: ArrayLike<number>;
  readonly contextOffset?: number;
}

/** Where a row is written: a model's input tensor, or a plain array. */
export type RowTarget = Float32Array | Float64Array | number[];

/** Reads one feature's value, or null when its source has none (the default then applies). */
type Reader = (x: SegmentMinuteInputs) => number | null;

function field(r: TrafficStats | null | undefined, f: StatsField): number | null {
  if (r === null || r === undefined) return null;
  const v = r[f];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Count-weighted mean of a field over the neighbours that have it (plain mean when all counts are 0). */
function neighbourValue(list: readonly WindowRecords[], w: WindowName, f: StatsField): number | null {
  let sum = 0;
  let weight = 0;
  let plain = 0;
  let n = 0;
  for (const rec of list) {
    const r = rec[w];
    const v = field(r, f);
    if (v === null) continue;
    const c = r!.count;
    sum += v * c;
    weight += c;
    plain += v;
    n++;
  }
  if (n === 0) return null;
  return weight > 0 ? sum / weight : plain / n;
}

function reader(source: FeatureSource): Reader {
  switch (source.kind) {
    case 'stats': {
      const { window: w, field: f } = source;
      return (x) => field(x.own[w], f);
    }
    case 'windowDifference': {
      const f = source.field;
      return (x) => {
        const a = field(x.own['1m'], f);
        const b = field(x.own['10m'], f);
        return a === null || b === null ? null : a - b;
      };
    }
    case 'neighbourDifference': {
      const { window: w, field: f, neighbour } = source;
      const sign = neighbour === 'upstream' ? 1 : -1;
      return (x) => {
        const here = field(x.own[w], f);
        if (here === null) return null;
        const there = neighbourValue(x[neighbour], w, f);
        return there === null ? null : sign * (there - here);
      };
    }
    case 'neighbourPresent': {
      const { window: w, neighbour } = source;
      return (x) => (present(x[neighbour], w) ? 1 : 0);
    }
    case 'context': {
      const k = FEATURE_INDEX[source.feature];
      return (x) => {
        if (x.context === undefined) return null;
        const v = x.context[(x.contextOffset ?? 0) + k];
        return Number.isFinite(v) ? v : null;
      };
    }
  }
}

function present(list: readonly WindowRecords[], w: WindowName): boolean {
  for (const rec of list) if (rec[w] !== null && rec[w] !== undefined) return true;
  return false;
}

/**
 * Builds model input rows in the specification's order: the one place that turns stats,
 * neighbours' stats and context into a row, for the scorer and the dataset generator alike.
 */
export class FeatureRowBuilder {
  readonly names: readonly string[];
  readonly width: number;
  private readonly readers: readonly Reader[];
  private readonly defaults: Float64Array;

  constructor(readonly spec: FeatureSpec) {
    this.names = spec.features.map((f) => f.name);
    this.width = spec.features.length;
    this.readers = spec.features.map((f) => reader(f.source));
    this.defaults = Float64Array.from(spec.features, (f) => f.default);
  }

  /**
   * Writes one row at `out[offset .. offset + width)`. Features whose source has no value take
   * their default; when `missing` is given, `missing[k]` is set to 1 for those (0 for the rest).
   * Returns how many took their default.
   */
  write(x: SegmentMinuteInputs, out: RowTarget, offset = 0, missing?: Uint8Array): number {
    let defaults = 0;
    const rs = this.readers;
    for (let k = 0; k < rs.length; k++) {
      const v = rs[k](x);
      if (v === null) {
        out[offset + k] = this.defaults[k];
        defaults++;
        if (missing) missing[k] = 1;
      } else {
        out[offset + k] = v;
        if (missing) missing[k] = 0;
      }
    }
    return defaults;
  }

  /** One row as a record, name to value (allocates: for tools, tests and explanations). */
  record(x: SegmentMinuteInputs): Record<string, number> {
    const row = new Float64Array(this.width);
    this.write(x, row);
    return Object.fromEntries(this.names.map((n, k) => [n, row[k]]));
  }
}


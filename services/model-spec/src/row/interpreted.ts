import { FEATURE_INDEX } from '@saferoads/context';
import type { TrafficStats, WindowName } from '@saferoads/shared/contracts';
import type { StatsField } from '../spec/stats-fields.js';
import type { FeatureSource, FeatureSpec } from '../spec/types.js';
import type { RowTarget, RowWriter, SegmentMinuteInputs, WindowRecords } from './inputs.js';

// The row writer as one reader closure per feature: the definition the compiled writer
// (compile.ts) is checked against, kept as the plain statement of what each source means.

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

/** FeatureRowBuilder.write's semantics, one reader call per feature. */
export function interpretedRowWriter(spec: FeatureSpec): RowWriter {
  const readers = spec.features.map((f) => reader(f.source));
  const defaults = Float64Array.from(spec.features, (f) => f.default);
  return (x: SegmentMinuteInputs, out: RowTarget, offset: number, missing?: Uint8Array): number => {
    let count = 0;
    for (let k = 0; k < readers.length; k++) {
      const v = readers[k](x);
      if (v === null) {
        out[offset + k] = defaults[k];
        count++;
        if (missing) missing[k] = 1;
      } else {
        out[offset + k] = v;
        if (missing) missing[k] = 0;
      }
    }
    return count;
  };
}

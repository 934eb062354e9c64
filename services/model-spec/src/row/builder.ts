import type { FeatureSpec } from '../spec/types.js';
import { compileRowWriter } from './compile.js';
import type { RowTarget, RowWriter, SegmentMinuteInputs } from './inputs.js';

export type { RowTarget, SegmentMinuteInputs, WindowRecords } from './inputs.js';

/**
 * Builds model input rows in the specification's order: the one place that turns stats,
 * neighbours' stats and context into a row, for the scorer and the dataset generator alike.
 */
export class FeatureRowBuilder {
  readonly names: readonly string[];
  readonly width: number;
  private readonly writer: RowWriter;

  constructor(readonly spec: FeatureSpec) {
    this.names = spec.features.map((f) => f.name);
    this.width = spec.features.length;
    this.writer = compileRowWriter(spec);
  }

  /**
   * Writes one row at `out[offset .. offset + width)`. Features whose source has no value take
   * their default; when `missing` is given, `missing[k]` is set to 1 for those (0 for the rest).
   * Returns how many took their default.
   */
  write(x: SegmentMinuteInputs, out: RowTarget, offset = 0, missing?: Uint8Array): number {
    return this.writer(x, out, offset, missing);
  }

  /** One row as a record, name to value (allocates: for tools, tests and explanations). */
  record(x: SegmentMinuteInputs): Record<string, number> {
    const row = new Float64Array(this.width);
    this.write(x, row);
    return Object.fromEntries(this.names.map((n, k) => [n, row[k]]));
  }
}


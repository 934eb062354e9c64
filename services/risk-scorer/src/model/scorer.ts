/**
 * What scoring needs of a model: rows of features in, one probability per row out. Implemented
 * by the ONNX model (onnx-scorer.ts) and by plain functions for tests (function-scorer.ts).
 */
export interface Scorer {
  /** Features per row. */
  readonly width: number;
  /** Scores `rows` rows of `batch` (row-major, `width` each): one value per row. */
  score(batch: Float32Array, rows: number): Promise<Float32Array>;
}

/** A model ready to score: the scorer with what the service reports and explains with. */
export interface ScoringModel extends Scorer {
  /** Goes out with every score (risk.scores `modelVersion`). */
  readonly version: string;
  /**
   * Reference value of every feature (spec order): the conditions a factor is measured against and
   * the baseline of relativeRisk (docs/risk-scorer.md).
   */
  readonly reference: Float32Array;
}

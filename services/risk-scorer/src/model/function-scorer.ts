import { SaferoadsError } from '@saferoads/shared/errors';
import type { ScoringModel } from './scorer.js';

function checkBatch(width: number, batch: Float32Array, rows: number): void {
  if (!Number.isInteger(rows) || rows < 0 || batch.length < rows * width) {
    throw new SaferoadsError('RECORD_INVALID', `a batch of ${rows} rows of ${width} features needs ${rows * width} values, got ${batch.length}`);
  }
}

/** A model that is a plain function of one row: for tests, and for models whose answer is known. */
export class FunctionScorer implements ScoringModel {
  constructor(
    readonly version: string,
    readonly width: number,
    readonly reference: Float32Array,
    private readonly fn: (row: Float32Array) => number,
  ) {
    if (reference.length !== width) throw new SaferoadsError('CONFIG_INVALID', `reference has ${reference.length} values, the model ${width} features`);
  }

  score(batch: Float32Array, rows: number): Promise<Float32Array> {
    checkBatch(this.width, batch, rows);
    const out = new Float32Array(rows);
    for (let r = 0; r < rows; r++) out[r] = this.fn(batch.subarray(r * this.width, (r + 1) * this.width));
    return Promise.resolve(out);
  }
}

/** bias + weights · x: every feature's contribution is known exactly. */
export function linearScorer(version: string, weights: readonly number[], bias: number, reference: Float32Array): FunctionScorer {
  return new FunctionScorer(version, weights.length, reference, (row) => bias + dot(weights, row));
}

/** The logistic model 1 / (1 + e^-(bias + weights · x)): a probability, like the risk model's. */
export function logisticScorer(version: string, weights: readonly number[], bias: number, reference: Float32Array): FunctionScorer {
  return new FunctionScorer(version, weights.length, reference, (row) => 1 / (1 + Math.exp(-(bias + dot(weights, row)))));
}

function dot(w: readonly number[], x: Float32Array): number {
  let z = 0;
  for (let k = 0; k < w.length; k++) z += w[k] * x[k];
  return z;
}

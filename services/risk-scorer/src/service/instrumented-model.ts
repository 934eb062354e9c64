import { performance } from 'node:perf_hooks';
import type { ReleasableModel } from '../model/model-slot.js';

/** The model as it was, each inference reported to `observe` (rows and seconds) whether it succeeds or not. */
export function instrumented(model: ReleasableModel, observe: (rows: number, seconds: number) => void): ReleasableModel {
  return {
    version: model.version,
    width: model.width,
    reference: model.reference,
    async score(batch: Float32Array, rows: number): Promise<Float32Array> {
      const t0 = performance.now();
      try {
        return await model.score(batch, rows);
      } finally {
        observe(rows, (performance.now() - t0) / 1000);
      }
    },
    release: () => model.release?.() ?? Promise.resolve(),
  };
}

import type { ScoringModel } from './scorer.js';

/** A model that may hold resources (an onnxruntime session) to free once nothing scores with it. */
export type ReleasableModel = ScoringModel & { release?(): Promise<void> };

export type SwapResult = { readonly ok: true; readonly from: string; readonly to: string } | { readonly ok: false; readonly error: Error; readonly kept: string };

/**
 * The running model, swappable without a restart. A candidate is loaded (and so validated) first;
 * only an accepted one replaces the running model, and a refused one leaves it scoring. Each use
 * keeps the model it started with to its end (a minute's scores come from one model), and a
 * replaced model is released once its last use ends.
 */
export class ModelSlot {
  private model: ReleasableModel;
  private readonly inUse = new Map<ReleasableModel, number>();
  private readonly retired = new Set<ReleasableModel>();
  private swapping: Promise<unknown> = Promise.resolve();

  constructor(initial: ReleasableModel) {
    this.model = initial;
  }

  get current(): ScoringModel {
    return this.model;
  }

  /** Runs fn with the current model, which stays alive until fn ends. */
  async use<T>(fn: (model: ScoringModel) => Promise<T>): Promise<T> {
    const m = this.model;
    this.inUse.set(m, (this.inUse.get(m) ?? 0) + 1);
    try {
      return await fn(m);
    } finally {
      const left = this.inUse.get(m)! - 1;
      if (left > 0) this.inUse.set(m, left);
      else {
        this.inUse.delete(m);
        if (this.retired.delete(m)) await m.release?.();
      }
    }
  }

  /**
   * Loads a candidate with `load` (which validates it, throwing when it is refused) and, once
   * accepted, makes it the running model. Swaps run one at a time. Never throws: a refusal comes
   * back as { ok: false, error } with the running model unchanged.
   */
  swap(load: () => Promise<ReleasableModel>): Promise<SwapResult> {
    const next = this.swapping.then(async (): Promise<SwapResult> => {
      let candidate: ReleasableModel;
      try {
        candidate = await load();
      } catch (err) {
        return { ok: false, error: err instanceof Error ? err : new Error(String(err)), kept: this.model.version };
      }
      const old = this.model;
      this.model = candidate;
      if (this.inUse.has(old)) this.retired.add(old);
      else await old.release?.();
      return { ok: true, from: old.version, to: candidate.version };
    });
    this.swapping = next;
    return next;
  }

  /** Releases the running model (at shutdown). */
  async close(): Promise<void> {
    await this.swapping;
    await this.model.release?.();
  }
}

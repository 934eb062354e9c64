import type { Logger } from '@saferoads/shared/logger';
import { ModelRejectedError } from '../model/errors.js';
import { ModelSlot, type ReleasableModel } from '../model/model-slot.js';
import type { OnnxModelFiles } from '../model/onnx-scorer.js';
import { ModelFilesProbe, type ModelFilesState } from './model-files.js';

export type SlotName = 'live' | 'shadow';

export type ReloadOutcome =
  | { readonly outcome: 'accepted'; readonly slot: SlotName; readonly from: string; readonly to: string }
  | { readonly outcome: 'refused'; readonly slot: SlotName; readonly kept: string; readonly problems: readonly string[] };

export interface ModelReloaderOptions {
  readonly slot: SlotName;
  readonly files: Required<OnnxModelFiles>;
  /** Loads and validates a model from the files (loadOnnxModel); throws when it is refused. */
  readonly load: (files: Required<OnnxModelFiles>) => Promise<ReleasableModel>;
  readonly log: Logger;
  /** Every reload that loaded a candidate: accepted or refused. */
  readonly onReload?: (r: ReloadOutcome) => void;
}

/**
 * A model slot kept in step with its files, without a restart. `check()` looks at the files (by
 * content, ModelFilesProbe); a change is loaded once the files have stayed the same for one more
 * check (a copy half-way through is not a model), or at once when forced (SIGHUP). The candidate
 * goes through the slot's swap, so it replaces the running model only once accepted
 * (loadOnnxModel: spec, sha256, graph, test vectors); a refused one is logged with every problem,
 * the running model keeps scoring, and the same files are not tried again until they change.
 */
export class ModelReloader {
  private running: string;
  private refused: string | null = null;
  private pending: string | null = null;
  private unreadable: string | null = null;
  private turn: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly opts: ModelReloaderOptions,
    private readonly probe: ModelFilesProbe,
    readonly model: ModelSlot,
    state: ModelFilesState,
  ) {
    this.running = state.id;
  }

  /** Loads the first model (a refusal throws: at start there is nothing to keep scoring with). */
  static async open(opts: ModelReloaderOptions): Promise<ModelReloader> {
    const probe = new ModelFilesProbe(opts.files);
    // The state before the load: should the files change in between, the next check loads them again.
    const state = await probe.read().catch((err: unknown) => {
      throw new ModelRejectedError(opts.files.modelPath, [`cannot read the model files: ${(err as Error).message}`]);
    });
    const model = await opts.load(opts.files);
    opts.log.info({ slot: opts.slot, version: model.version, modelPath: opts.files.modelPath, sha256: state.model.sha256 }, 'model loaded');
    return new ModelReloader(opts, probe, new ModelSlot(model), state);
  }

  /** Polls the files every `intervalMs` (0: never; SIGHUP or check() only). */
  watch(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.check(), intervalMs);
    this.timer.unref();
  }

  /**
   * Looks at the files and reloads when they changed: after one unchanged check, or now when
   * forced. Resolves with what a load gave (null when nothing was loaded); never rejects.
   */
  check(opts: { force?: boolean } = {}): Promise<ReloadOutcome | null> {
    const next = this.turn.then(() => this.checkNow(opts.force ?? false));
    this.turn = next;
    return next;
  }

  /** Stops polling, waits for a check in progress, releases the model. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.turn;
    await this.model.close();
  }

  private async checkNow(force: boolean): Promise<ReloadOutcome | null> {
    const { log, slot, files } = this.opts;
    let state: ModelFilesState;
    try {
      state = await this.probe.read();
      this.unreadable = null;
    } catch (err) {
      // A file being replaced may be missing for a moment: said once, tried again next time.
      const reason = (err as Error).message;
      if (reason !== this.unreadable) log.warn({ slot, modelPath: files.modelPath, metadataPath: files.metadataPath, reason }, 'cannot read the model files; the running model keeps scoring');
      this.unreadable = reason;
      return null;
    }
    if (state.id === this.running) {
      this.pending = null;
      if (force) log.info({ slot, version: this.model.current.version }, 'model files unchanged: nothing to reload');
      return null;
    }
    if (state.id === this.refused) {
      if (force) log.warn({ slot, modelPath: files.modelPath, kept: this.model.current.version }, 'these model files were refused already: nothing to reload');
      return null;
    }
    if (!force && this.pending !== state.id) {
      this.pending = state.id;
      return null;
    }
    this.pending = null;
    log.info({ slot, modelPath: files.modelPath, sha256: state.model.sha256 }, 'model files changed: validating the new model');
    const r = await this.model.swap(() => this.opts.load(files));
    let outcome: ReloadOutcome;
    if (r.ok) {
      this.running = state.id;
      this.refused = null;
      outcome = { outcome: 'accepted', slot, from: r.from, to: r.to };
      log.info({ slot, from: r.from, to: r.to, modelPath: files.modelPath, sha256: state.model.sha256 }, 'new model accepted: it scores from the next minute');
    } else {
      this.refused = state.id;
      const problems = r.error instanceof ModelRejectedError ? r.error.problems : [r.error.message];
      outcome = { outcome: 'refused', slot, kept: r.kept, problems };
      log.error({ slot, modelPath: files.modelPath, sha256: state.model.sha256, kept: r.kept, problems }, `new model refused, ${r.kept} keeps scoring: ${problems.join('; ')}`);
    }
    this.opts.onReload?.(outcome);
    return outcome;
  }
}

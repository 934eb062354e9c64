import { represent, type Representation } from './representation.js';

export interface LiveBodyOptions {
  /**
   * After a change, rebuilt at most this often (a consumer writes many batches a minute; each
   * rebuild of a 10,000-segment collection costs about a second).
   */
  readonly minRebuildMs: number;
  /** Rebuilt at least this often even without a change seen here (another writer of the store). */
  readonly maxAgeMs: number;
}

/**
 * A body rendered from the store, shared by every request until its data changed (`invalidate`):
 * rendered at most once per `minRebuildMs` after a change and at least once per `maxAgeMs`, once
 * for requests that arrive together.
 */
export class LiveBody {
  private cached: { rep: Representation; at: number; version: number } | null = null;
  private building: Promise<Representation> | null = null;
  private version = 0;

  constructor(
    private readonly render: () => Promise<string>,
    private readonly opts: LiveBodyOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** The data changed: the next request renders afresh (as soon as `minRebuildMs` allows). */
  invalidate(): void {
    this.version++;
  }

  async body(): Promise<Representation> {
    const c = this.cached;
    const age = c ? this.now() - c.at : Infinity;
    if (c && (age < this.opts.minRebuildMs || (c.version === this.version && age < this.opts.maxAgeMs))) return c.rep;
    this.building ??= this.build().finally(() => (this.building = null));
    return this.building;
  }

  private async build(): Promise<Representation> {
    const version = this.version;
    const at = this.now();
    const rep = await represent(await this.render());
    this.cached = { rep, at, version };
    return rep;
  }
}

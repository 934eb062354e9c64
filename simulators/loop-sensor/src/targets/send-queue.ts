export interface SendQueueOptions<T> {
  /** Independent ordered streams; each has at most one send in flight. */
  readonly lanes: number;
  /** Most items in one send. */
  readonly maxItems: number;
  /** Most bytes (by sizeOf) in one send; a single larger item still goes alone. */
  readonly maxBytes: number;
  readonly sizeOf: (item: T) => number;
  readonly send: (items: T[]) => Promise<void>;
  /** dispatch() waits while more items than this wait to be sent: memory stays bounded. */
  readonly maxWaiting: number;
  /** Called once, with the first failed send's error. */
  readonly onFailure?: (err: unknown) => void;
}

/**
 * Ordered sending with limited concurrency. Items of one lane are sent in the order they were
 * queued, one send at a time, so whatever shares a lane keeps its order; lanes run in parallel.
 * While a lane's send is in flight its next items accumulate, and the next send takes up to
 * maxItems of them: a fast producer gets big sends, a paced one gets each step sent at once.
 */
export class SendQueue<T> {
  private readonly queues: T[][];
  private readonly busy: boolean[];
  private waiting = 0;
  private failure: { readonly error: unknown } | null = null;
  private wakers: (() => void)[] = [];

  constructor(private readonly opts: SendQueueOptions<T>) {
    if (!(Number.isInteger(opts.lanes) && opts.lanes >= 1)) throw new RangeError(`lanes must be a whole number >= 1, got ${opts.lanes}`);
    if (!(Number.isInteger(opts.maxItems) && opts.maxItems >= 1)) throw new RangeError(`maxItems must be a whole number >= 1, got ${opts.maxItems}`);
    this.queues = Array.from({ length: opts.lanes }, () => []);
    this.busy = new Array<boolean>(opts.lanes).fill(false);
  }

  /** Queues one item; nothing is sent until dispatch(). */
  enqueue(lane: number, item: T): void {
    this.queues[lane].push(item);
    this.waiting++;
  }

  /** Starts idle lanes; resolves once few enough items wait; rejects with the first failure. */
  async dispatch(): Promise<void> {
    this.startIdle();
    while (this.failure === null && this.waiting > this.opts.maxWaiting) await this.nextChange();
    if (this.failure) throw this.failure.error;
  }

  /** Sends everything queued; resolves when all sends are done, rejects with the first failure. */
  async drain(): Promise<void> {
    this.startIdle();
    while (this.busy.some(Boolean)) await this.nextChange();
    if (this.failure) throw this.failure.error;
  }

  /** Stops sending: queued items are dropped and dispatch() and drain() reject with `err`. */
  fail(err: unknown): void {
    if (this.failure) return;
    this.failure = { error: err };
    for (const q of this.queues) q.length = 0;
    this.waiting = 0;
    this.opts.onFailure?.(err);
    this.wake();
  }

  private startIdle(): void {
    for (let lane = 0; lane < this.opts.lanes; lane++) {
      if (!this.busy[lane] && this.queues[lane].length > 0 && this.failure === null) {
        this.busy[lane] = true;
        void this.pump(lane);
      }
    }
  }

  /**
   * Sends a lane's items until it is empty. The emptiness check and `busy = false` run without an
   * await between them, so an item queued meanwhile is never left behind with the lane idle.
   */
  private async pump(lane: number): Promise<void> {
    const queue = this.queues[lane];
    try {
      while (queue.length > 0 && this.failure === null) {
        const items = this.take(queue);
        this.waiting -= items.length;
        this.wake();
        await this.opts.send(items);
      }
    } catch (err) {
      this.fail(err);
    } finally {
      this.busy[lane] = false;
      this.wake();
    }
  }

  private take(queue: T[]): T[] {
    let n = 0;
    let bytes = 0;
    while (n < queue.length && n < this.opts.maxItems) {
      const size = this.opts.sizeOf(queue[n]);
      if (n > 0 && bytes + size > this.opts.maxBytes) break;
      bytes += size;
      n++;
    }
    return queue.splice(0, n);
  }

  private nextChange(): Promise<void> {
    return new Promise((resolve) => this.wakers.push(resolve));
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const w of wakers) w();
  }
}

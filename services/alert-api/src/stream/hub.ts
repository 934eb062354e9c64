import { SaferoadsError } from '@saferoads/shared/errors';

export type StreamEventType = 'score' | 'alert';

/** One event of the live stream, serialised once for every client. */
export interface StreamEvent {
  readonly id: number;
  readonly type: StreamEventType;
  /** The whole SSE frame: `id:`, `event:`, `data:` and the blank line. */
  readonly frame: string;
}

export type Resume = { readonly kind: 'events'; readonly events: readonly StreamEvent[] } | { readonly kind: 'reset'; readonly reason: string };

export interface StreamHubOptions {
  /** Newest events kept for clients that reconnect. */
  readonly bufferSize: number;
  /** The first id is `firstId`; by default the start time in microseconds, so ids also grow across restarts. */
  readonly firstId?: number;
}

/**
 * The live stream's one source: events get consecutive ids, are framed once, go to every
 * subscriber, and stay in a ring buffer of the newest `bufferSize` for resumes (docs/alert-api.md#the-live-stream).
 */
export class StreamHub {
  readonly firstId: number;
  private nextId: number;
  private readonly ring: (StreamEvent | undefined)[];
  private readonly subscribers = new Set<(e: StreamEvent) => void>();

  constructor(private readonly opts: StreamHubOptions) {
    if (!(Number.isInteger(opts.bufferSize) && opts.bufferSize >= 1)) throw new SaferoadsError('CONFIG_INVALID', `stream buffer size must be a positive integer, got ${opts.bufferSize}`);
    this.firstId = opts.firstId ?? Date.now() * 1000;
    this.nextId = this.firstId;
    this.ring = new Array<StreamEvent | undefined>(opts.bufferSize);
  }

  /** The id of the newest event, or firstId - 1 before the first. */
  get lastId(): number {
    return this.nextId - 1;
  }

  get clients(): number {
    return this.subscribers.size;
  }

  publish(type: StreamEventType, data: unknown): StreamEvent {
    const id = this.nextId++;
    // JSON.stringify never writes a raw newline, so the data fits on one `data:` line.
    const event: StreamEvent = { id, type, frame: `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n` };
    this.ring[id % this.opts.bufferSize] = event;
    for (const s of this.subscribers) s(event);
    return event;
  }

  /** Every buffered event after `lastId`, or a reset when some of them are no longer buffered. */
  since(lastId: number): Resume {
    if (lastId >= this.lastId) return { kind: 'events', events: [] };
    if (lastId < this.firstId - 1) return { kind: 'reset', reason: `event ${lastId} is from before this server started (its first event is ${this.firstId}): reload the current state` };
    const oldest = Math.max(this.firstId, this.nextId - this.opts.bufferSize);
    if (lastId + 1 < oldest) return { kind: 'reset', reason: `events after ${lastId} are no longer buffered (the oldest kept is ${oldest}): reload the current state` };
    const events: StreamEvent[] = [];
    for (let id = lastId + 1; id < this.nextId; id++) events.push(this.ring[id % this.opts.bufferSize] as StreamEvent);
    return { kind: 'events', events };
  }

  subscribe(fn: (e: StreamEvent) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }
}

import type { Consumer } from 'kafkajs';
import { SaferoadsError } from '../errors.js';
import type { Logger } from '../logger.js';
import { busError } from './kafka-errors.js';
import { fromKafkaMessage } from './kafka-records.js';
import type { ConsumedRecord, TableReader } from './port.js';

export interface KafkaTableReaderOptions {
  readonly topic: string;
  /** The end offset (high watermark) of every partition now. */
  readonly endOffsets: () => Promise<number[]>;
  /** How long latest() waits to catch up before it fails (retriably). */
  readonly catchUpTimeoutMs: number;
  readonly log: Logger;
}

/**
 * Follows every partition of a topic from its beginning (read_committed, in a group of its own
 * that never commits) and keeps the newest record of each. latest(p) first catches up with what
 * was in p when it was called: its position must reach p's end offset. The position counts the
 * transaction markers and aborted records kafkajs does not hand over (its END_BATCH_PROCESS
 * event reports them), so a partition ending in a commit marker is caught up too.
 */
export class KafkaTableReader implements TableReader {
  private readonly newest = new Map<number, ConsumedRecord>();
  private readonly position = new Map<number, number>();
  private waiters = new Set<() => void>();
  private started: Promise<void> | null = null;
  private failure: unknown = null;
  private closed = false;

  constructor(
    private readonly consumer: Consumer,
    private readonly opts: KafkaTableReaderOptions,
  ) {}

  async latest(partition: number): Promise<ConsumedRecord | null> {
    await this.start();
    const end = (await this.opts.endOffsets())[partition];
    if (end === undefined) throw new SaferoadsError('STATE_INVARIANT', `topic ${this.opts.topic} has no partition ${partition}`);
    const deadline = Date.now() + this.opts.catchUpTimeoutMs;
    while ((this.position.get(partition) ?? 0) < end) {
      if (this.failure) throw busError(`reading ${this.opts.topic}`, this.failure);
      if (this.closed) throw new SaferoadsError('BUS_CLOSED', `the reader of ${this.opts.topic} is closed`);
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new SaferoadsError('BUS_UNAVAILABLE', `reading ${this.opts.topic}[${partition}] did not reach offset ${end} within ${this.opts.catchUpTimeoutMs} ms`, { retriable: true });
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1_000));
        this.waiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.newest.get(partition) ?? null;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    if (!this.started) return;
    await this.started.catch(() => undefined);
    await this.consumer.disconnect().catch((err: unknown) => this.opts.log.warn({ err, topic: this.opts.topic }, 'disconnecting a table reader failed'));
  }

  private start(): Promise<void> {
    if (this.closed) return Promise.reject(new SaferoadsError('BUS_CLOSED', `the reader of ${this.opts.topic} is closed`));
    this.started ??= (async () => {
      const c = this.consumer;
      c.on(c.events.END_BATCH_PROCESS, (e) => {
        const { partition, lastOffset } = e.payload;
        const next = Number(lastOffset) + 1;
        if (next > (this.position.get(partition) ?? 0)) this.position.set(partition, next);
        this.wake();
      });
      c.on(c.events.CRASH, (e) => {
        if (!e.payload.restart) this.failure = e.payload.error;
        this.wake();
      });
      await c.connect();
      await c.subscribe({ topics: [this.opts.topic], fromBeginning: true });
      await c.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const last = batch.messages[batch.messages.length - 1];
          if (last) this.newest.set(batch.partition, fromKafkaMessage(last));
        },
      });
    })().catch((err: unknown) => {
      this.started = null;
      throw busError(`starting the reader of ${this.opts.topic}`, err);
    });
    return this.started;
  }

  private wake(): void {
    const ws = this.waiters;
    this.waiters = new Set();
    for (const w of ws) w();
  }
}

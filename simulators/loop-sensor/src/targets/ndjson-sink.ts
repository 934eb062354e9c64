import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { batchText } from '../ndjson.js';
import type { DetectionBatch } from '../types.js';
import type { DetectionSink, SinkStats } from './sink.js';

/** Big writes are cheap, many small ones are not: flush at about 1 MB (as cli/write.ts does). */
const FLUSH_CHARS = 1 << 20;

export interface NdjsonSinkOptions {
  /** The destination as messages name it: a path, or "stdout". */
  readonly name: string;
  /** Paced output: every batch is written when released, so a reader sees it in time. */
  readonly flushEachBatch: boolean;
  /** End the stream on close (a file); stdout is left open. */
  readonly end: boolean;
}

/** NDJSON to a stream, one detection per line, honouring the stream's backpressure. */
export class NdjsonSink implements DetectionSink {
  readonly name: string;
  private pending = '';
  private pendingLines = 0;
  /** Lines handed to the stream. */
  private lines = 0;
  private writes = 0;

  constructor(
    private readonly out: Writable,
    private readonly opts: NdjsonSinkOptions,
  ) {
    this.name = opts.name;
  }

  async write(batch: DetectionBatch): Promise<void> {
    this.pending += batchText(batch.detections);
    this.pendingLines += batch.detections.length;
    if (this.opts.flushEachBatch || this.pending.length >= FLUSH_CHARS) await this.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    if (!this.opts.end) return;
    await new Promise<void>((resolve, reject) => {
      this.out.once('error', reject);
      this.out.end(resolve);
    });
  }

  stats(): SinkStats {
    return { sent: this.lines, requests: this.writes, retries: 0 };
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending;
    this.pending = '';
    this.lines += this.pendingLines;
    this.pendingLines = 0;
    this.writes++;
    if (!this.out.write(text)) await once(this.out, 'drain');
  }
}

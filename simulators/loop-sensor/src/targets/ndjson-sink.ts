import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Detection } from '@saferoads/shared';
import type { DetectionBatch } from '../types.js';
import { DETECTION_LINES, type RecordFormat } from './format.js';
import type { RecordSink, SinkStats } from './sink.js';

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

/** NDJSON needs only the records and their lines. */
export type LineFormat<B, T> = Pick<RecordFormat<B, T>, 'records' | 'line'>;

/** NDJSON to a stream, one record per line, honouring the stream's backpressure. */
export class NdjsonSink<B = DetectionBatch, T = Detection> implements RecordSink<B> {
  readonly name: string;
  private pending = '';
  private pendingLines = 0;
  /** Lines handed to the stream. */
  private lines = 0;
  private writes = 0;

  private readonly format: LineFormat<B, T>;

  /** `format`: how to write other records than detections. */
  constructor(
    private readonly out: Writable,
    private readonly opts: NdjsonSinkOptions,
    format?: LineFormat<B, T>,
  ) {
    this.name = opts.name;
    this.format = format ?? (DETECTION_LINES as unknown as LineFormat<B, T>);
  }

  async write(batch: B): Promise<void> {
    const records = this.format.records(batch);
    let text = '';
    for (const r of records) text += this.format.line(r) + '\n';
    this.pending += text;
    this.pendingLines += records.length;
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

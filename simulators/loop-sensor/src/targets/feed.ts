import type { DetectionBatch } from '../types.js';
import type { RecordSink, SinkStats } from './sink.js';

export interface FeedOptions<B = DetectionBatch> {
  /** Called once a batch is handed to the sink. */
  readonly onBatch?: (b: B) => void;
  /** Stops taking batches (Ctrl-C); what was taken is still delivered. Checked between steps. */
  readonly signal?: AbortSignal;
  /** Wall clock in ms; injected in tests. */
  readonly now?: () => number;
}

export interface FeedResult {
  readonly stats: SinkStats;
  readonly elapsedMs: number;
  /** Stopped by the signal before the simulation ended. */
  readonly interrupted: boolean;
  /** What stopped the run, when something failed. */
  readonly error?: Error;
}

/**
 * Hands every batch to the sink, then closes it, which delivers what is still buffered. A
 * failure is returned rather than thrown, with what was delivered until then, so the caller can
 * report both; the sink is closed either way.
 */
export async function feed<B = DetectionBatch>(batches: AsyncIterable<B>, sink: RecordSink<B>, opts: FeedOptions<B> = {}): Promise<FeedResult> {
  const now = opts.now ?? (() => performance.now());
  const started = now();
  let interrupted = false;
  let error: Error | undefined;
  try {
    for await (const b of batches) {
      await sink.write(b);
      opts.onBatch?.(b);
      if (opts.signal?.aborted) {
        interrupted = true;
        break;
      }
    }
  } catch (err) {
    error = err instanceof Error ? err : new Error(String(err));
  }
  try {
    await sink.close();
  } catch (err) {
    // After a failed write, closing reports the same failure again: keep the first.
    error ??= err instanceof Error ? err : new Error(String(err));
  }
  return { stats: sink.stats(), elapsedMs: now() - started, interrupted, ...(error && { error }) };
}

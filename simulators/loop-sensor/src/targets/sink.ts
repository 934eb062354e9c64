import type { DetectionBatch } from '../types.js';

/** Defaults of the delivery options; the gateway takes up to 50,000 records / 5 MiB per request. */
export const TARGET_DEFAULTS = { batchSize: 5_000, concurrency: 4, attempts: 6 } as const;

/** What a run delivered so far, for the closing summary. */
export interface SinkStats {
  /** Records the destination acknowledged (written, answered 202, or acked by Kafka). */
  readonly sent: number;
  /** HTTP only: what the gateway reported. A record is either accepted or rejected. */
  readonly accepted?: number;
  readonly rejected?: number;
  /** HTTP only: the gateway's first per-record error, so a rejection is explained. */
  readonly firstRejection?: string;
  /** Successful requests (HTTP) or producer sends (Kafka); 0 for files. */
  readonly requests: number;
  /** Attempts that failed and were retried (HTTP). */
  readonly retries: number;
}

/**
 * A destination for a simulator's step batches. `write` may return before the batch is
 * delivered (sending overlaps simulation), but waits while too much is buffered and rejects once
 * any delivery has failed for good. `close` delivers what is buffered, releases connections and
 * rejects with the first failure, so nothing is dropped silently.
 */
export interface RecordSink<B> {
  /** The destination as messages name it. */
  readonly name: string;
  write(batch: B): Promise<void>;
  close(): Promise<void>;
  stats(): SinkStats;
}

/** The loop-sensor simulator's sinks. */
export type DetectionSink = RecordSink<DetectionBatch>;

/** A delivery that failed for good (refused, or retries exhausted): the run stops and exits 1. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
}

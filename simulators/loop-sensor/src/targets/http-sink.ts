import { setTimeout as delay } from 'node:timers/promises';
import { partitionFor } from '@saferoads/shared/bus';
import type { Detection } from '@saferoads/shared';
import type { Network } from '@saferoads/shared/network';
import { retry } from '@saferoads/shared/retry';
import type { DetectionBatch } from '../types.js';
import { detectionFormat, type RecordFormat } from './format.js';
import { postNdjson, RetriableSendError, type FetchFn } from './http-post.js';
import { SendQueue } from './send-queue.js';
import { DeliveryError, type RecordSink, type SinkStats } from './sink.js';

export interface HttpSinkOptions<B = DetectionBatch, T = Detection> {
  /** The gateway's batch URL, e.g. POST /v1/detections. */
  readonly endpoint: string;
  /** Detections: maps detectors to segments, which pick the connection (per-segment order). */
  readonly network?: Network;
  /** Other records than detections: their lines and keys (the key picks the connection). */
  readonly format?: RecordFormat<B, T>;
  /** Most records per request. */
  readonly batchSize: number;
  /** Requests in flight at most. */
  readonly concurrency: number;
  /** Attempts per request, the first included. */
  readonly attempts: number;
  /** Told about each retry (a line on stderr in the CLI). */
  readonly onRetry?: (message: string) => void;
  readonly requestTimeoutMs?: number;
  /** Injected in tests. */
  readonly fetch?: FetchFn;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly random?: () => number;
}

/** Below the gateway's default 5 MiB body limit, with room for a proxy's. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** A gateway that asks for a longer pause still gets retried, just not after an hour. */
export const MAX_RETRY_AFTER_MS = 60_000;
/** Covers the gateway waiting for Kafka's acknowledgement through its own retries. */
export const REQUEST_TIMEOUT_MS = 60_000;
const BACKOFF = { initialDelayMs: 250, maxDelayMs: 10_000 };

/** The format of a sink's options: theirs, or detections keyed by the network's segments. */
export function formatOf<B, T>(opts: { readonly network?: Network; readonly format?: RecordFormat<B, T> }, topic?: string): RecordFormat<B, T> {
  if (opts.format) return opts.format;
  if (!opts.network) throw new RangeError('a sink needs the network (detections) or a record format');
  return detectionFormat(opts.network, topic) as unknown as RecordFormat<B, T>;
}

/**
 * Posts records to a batch gateway (the loop ingest gateway, the weather gateway) as NDJSON over
 * keep-alive connections (Node's fetch). Each key (a segment, a station) maps to one of
 * `concurrency` lanes and a lane has one request in flight, so a key's records reach the gateway,
 * and its topic, in simulated order.
 */
export class HttpSink<B = DetectionBatch, T = Detection> implements RecordSink<B> {
  readonly name: string;
  private readonly queue: SendQueue<string>;
  private readonly format: RecordFormat<B, T>;
  private readonly laneOfKey = new Map<string, number>();
  /** Ends in-flight requests and retry pauses once the run has failed. */
  private readonly stop = new AbortController();
  private readonly fetchFn: FetchFn;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private counts = { sent: 0, accepted: 0, rejected: 0, requests: 0, retries: 0 };
  private firstRejection: string | undefined;

  constructor(private readonly opts: HttpSinkOptions<B, T>) {
    this.name = opts.endpoint;
    this.format = formatOf(opts);
    this.fetchFn = opts.fetch ?? ((url, init) => fetch(url, init));
    this.sleep = opts.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
    this.queue = new SendQueue<string>({
      lanes: opts.concurrency,
      maxItems: opts.batchSize,
      maxBytes: MAX_BODY_BYTES,
      sizeOf: (line) => Buffer.byteLength(line),
      send: (lines) => this.post(lines),
      // Two full requests per lane waiting: enough to keep every connection busy.
      maxWaiting: 2 * opts.batchSize * opts.concurrency,
      onFailure: () => this.stop.abort(),
    });
  }

  async write(batch: B): Promise<void> {
    const f = this.format;
    for (const r of f.records(batch)) this.queue.enqueue(this.laneOf(f.laneKey ? f.laneKey(r) : f.key(r)), f.line(r) + '\n');
    await this.queue.dispatch();
  }

  async close(): Promise<void> {
    try {
      await this.queue.drain();
    } finally {
      this.stop.abort();
    }
  }

  stats(): SinkStats {
    return { ...this.counts, ...(this.firstRejection !== undefined && { firstRejection: this.firstRejection }) };
  }

  private laneOf(key: string): number {
    let lane = this.laneOfKey.get(key);
    if (lane === undefined) {
      lane = partitionFor(key, this.opts.concurrency);
      this.laneOfKey.set(key, lane);
    }
    return lane;
  }

  private async post(lines: string[]): Promise<void> {
    const { endpoint, attempts } = this.opts;
    const body = lines.join('');
    let retryAfter = 0;
    const attempt = async () => {
      const signal = AbortSignal.any([this.stop.signal, AbortSignal.timeout(this.opts.requestTimeoutMs ?? REQUEST_TIMEOUT_MS)]);
      try {
        return await postNdjson(this.fetchFn, endpoint, body, lines.length, signal);
      } catch (err) {
        retryAfter = err instanceof RetriableSendError ? Math.min(err.retryAfterMs, MAX_RETRY_AFTER_MS) : 0;
        throw err;
      }
    };
    const answer = await retry(attempt, {
      attempts,
      ...BACKOFF,
      retryOn: (err) => err instanceof RetriableSendError && !this.stop.signal.aborted,
      // A 503's Retry-After is the gateway's estimate of when the bus is back: never retry sooner.
      sleep: (ms) => this.sleep(Math.max(ms, retryAfter), this.stop.signal),
      onRetry: (err, n, ms) => {
        this.counts.retries++;
        const wait = (Math.max(ms, retryAfter) / 1000).toFixed(1);
        this.opts.onRetry?.(`${(err as Error).message}; attempt ${n + 1} of ${attempts} in ${wait} s`);
      },
      ...(this.opts.random && { random: this.opts.random }),
    }).catch((err: unknown) => {
      // Never dropped silently: the run stops and says which batch could not be delivered.
      throw err instanceof RetriableSendError ? new DeliveryError(`gave up on a batch of ${lines.length} records after ${attempts} attempts: ${err.message}`) : err;
    });
    this.counts.sent += lines.length;
    this.counts.accepted += answer.accepted;
    this.counts.rejected += answer.rejected;
    this.counts.requests++;
    this.firstRejection ??= answer.firstError;
  }
}

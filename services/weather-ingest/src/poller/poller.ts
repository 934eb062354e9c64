import { setTimeout as delay } from 'node:timers/promises';
import type { Checked, RejectedRecord } from '@saferoads/shared/ingest';
import type { WeatherObservation } from '@saferoads/shared/contracts';
import type { Logger } from '@saferoads/shared/logger';
import { retry } from '@saferoads/shared/retry';
import type { LatLon } from '../config.js';
import type { PollerMetrics, PollOutcome } from './metrics.js';
import { mapLocation, requestUrl, responseLocations, UnexpectedResponse, type LocationResult } from './open-meteo.js';

export type FetchFn = (url: string, init: RequestInit) => Promise<Response>;

/** A request that failed; `retriable` when another attempt may do better (no answer, 5xx, 429, a cut body). */
export class PollError extends Error {
  override readonly name = 'PollError';
  constructor(
    readonly outcome: Exclude<PollOutcome, 'ok'>,
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
  }
}

export interface PollerOptions {
  /** OPEN_METEO_URL. */
  readonly url: string;
  readonly points: readonly LatLon[];
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Attempts per request, the first included. */
  readonly attempts: number;
  readonly backoff: { readonly initialDelayMs: number; readonly maxDelayMs: number };
  /** Most locations in one request. */
  readonly maxLocations: number;
  /** The gateway's own check of a reading (contract, consistency, clock). */
  readonly check: (value: unknown) => Checked<WeatherObservation, string>;
  /** Writes readings and dead letters the way the gateway does; resolves once the bus has them. */
  readonly publish: (accepted: readonly WeatherObservation[], rejected: readonly RejectedRecord[]) => Promise<void>;
  readonly metrics: PollerMetrics;
  /** The `stage: poll` child of the service's logger. */
  readonly log: Logger;
  /** Injected in tests. */
  readonly fetch?: FetchFn;
  readonly random?: () => number;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly now?: () => number;
}

/** What one poll did. */
export interface PollSummary {
  readonly requestsFailed: number;
  readonly published: number;
  readonly unchanged: number;
  readonly rejected: number;
  /** The bus did not take the poll's readings. */
  readonly publishFailed: boolean;
}

const sleepUnlessStopped = (ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }).catch(() => undefined);

/** The host and path of a URL: OPEN_METEO_URL may carry an API key in its query, which stays out of logs. */
function safeUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

/**
 * Polls Open-Meteo's current conditions for a set of points every interval and publishes them as
 * weather observations through the gateway's own check and producer path. A failed request is
 * retried with exponential backoff and full jitter (the shared retry helper); what still fails
 * is counted and logged, and the next interval tries again. Nothing it meets stops it: only
 * stop() does. A location whose reading is no newer than the last one published is skipped.
 */
export class OpenMeteoPoller {
  private readonly stopper = new AbortController();
  private readonly lastTs = new Map<string, number>();
  private loop: Promise<void> | null = null;
  private readonly fetchFn: FetchFn;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly opts: PollerOptions) {
    this.fetchFn = opts.fetch ?? ((url, init) => fetch(url, init));
    this.sleep = opts.sleep ?? sleepUnlessStopped;
    this.now = opts.now ?? Date.now;
  }

  /** Polls now, then every interval (missed intervals are skipped, not caught up), until stop(). */
  start(): void {
    this.loop ??= this.run();
  }

  /** Ends the loop: an in-flight request is aborted, a publish in progress is awaited. */
  async stop(): Promise<void> {
    this.stopper.abort();
    await this.loop;
  }

  /** One poll of every point. Never throws: failures are counted, logged and summarised. */
  async pollOnce(): Promise<PollSummary> {
    const { points, maxLocations } = this.opts;
    const results: { point: LatLon; result: LocationResult }[] = [];
    let requestsFailed = 0;
    for (let i = 0; i < points.length && !this.stopper.signal.aborted; i += maxLocations) {
      const chunk = points.slice(i, i + maxLocations);
      try {
        const locations = await this.fetchWithRetry(chunk);
        locations.forEach((loc, k) => results.push({ point: chunk[k], result: mapLocation(loc, chunk[k]) }));
      } catch (err) {
        if (this.stopper.signal.aborted) break;
        requestsFailed++;
        this.opts.log.error({ err, url: safeUrl(this.opts.url), locations: chunk.length }, 'polling Open-Meteo failed: trying again next interval');
      }
    }
    return this.publish(results, requestsFailed);
  }

  private async run(): Promise<void> {
    const { intervalMs } = this.opts;
    let next = this.now();
    while (!this.stopper.signal.aborted) {
      await this.pollOnce();
      next += intervalMs;
      const now = this.now();
      // A poll that overran its interval: the next one starts on the following tick.
      if (next < now) next += Math.ceil((now - next) / intervalMs) * intervalMs;
      await this.sleep(next - now, this.stopper.signal);
    }
  }

  private async publish(results: readonly { point: LatLon; result: LocationResult }[], requestsFailed: number): Promise<PollSummary> {
    const { metrics, log } = this.opts;
    const accepted: WeatherObservation[] = [];
    const rejected: RejectedRecord[] = [];
    let unchanged = 0;
    results.forEach(({ result }, index) => {
      if (!result.ok) {
        rejected.push({ index, reason: 'upstream', errors: result.errors, raw: result.raw });
        return;
      }
      const c = this.opts.check(result.observation);
      if (!c.ok) rejected.push({ index, reason: c.reason, errors: c.errors, raw: result.raw });
      else if (c.record.ts <= (this.lastTs.get(c.record.stationId) ?? Number.NEGATIVE_INFINITY)) unchanged++;
      else accepted.push(c.record);
    });
    try {
      if (accepted.length + rejected.length > 0) await this.opts.publish(accepted, rejected);
    } catch (err) {
      metrics.publishFailures.inc();
      log.error({ err, readings: accepted.length, rejected: rejected.length }, 'the bus did not take the polled readings: the next poll publishes them again');
      return { requestsFailed, published: 0, unchanged, rejected: 0, publishFailed: true };
    }
    for (const o of accepted) this.lastTs.set(o.stationId, o.ts);
    metrics.observations.inc({ outcome: 'published' }, accepted.length);
    metrics.observations.inc({ outcome: 'unchanged' }, unchanged);
    metrics.observations.inc({ outcome: 'rejected' }, rejected.length);
    if (rejected.length > 0) log.warn({ rejected: rejected.length, first: rejected[0].errors[0] }, 'polled readings refused: sent to the dead-letter topic');
    if (requestsFailed === 0) metrics.lastSuccess.set(this.now() / 1000);
    log.debug({ published: accepted.length, unchanged, rejected: rejected.length, requestsFailed }, 'poll done');
    return { requestsFailed, published: accepted.length, unchanged, rejected: rejected.length, publishFailed: false };
  }

  private fetchWithRetry(points: readonly LatLon[]): Promise<Record<string, unknown>[]> {
    const { attempts, backoff, log } = this.opts;
    return retry(() => this.fetchOnce(points), {
      attempts,
      ...backoff,
      retryOn: (err) => err instanceof PollError && err.retriable && !this.stopper.signal.aborted,
      sleep: (ms) => this.sleep(ms, this.stopper.signal),
      onRetry: (err, attempt, delayMs) => log.warn({ err, attempt, of: attempts, delayMs }, 'Open-Meteo request failed: retrying'),
      ...(this.opts.random && { random: this.opts.random }),
    });
  }

  private async fetchOnce(points: readonly LatLon[]): Promise<Record<string, unknown>[]> {
    try {
      const locations = await this.request(points);
      this.opts.metrics.requests.inc({ outcome: 'ok' });
      return locations;
    } catch (err) {
      if (err instanceof PollError) this.opts.metrics.requests.inc({ outcome: err.outcome });
      throw err;
    }
  }

  private async request(points: readonly LatLon[]): Promise<Record<string, unknown>[]> {
    const url = requestUrl(this.opts.url, points);
    const signal = AbortSignal.any([this.stopper.signal, AbortSignal.timeout(this.opts.timeoutMs)]);
    let res: Response;
    let text: string;
    try {
      res = await this.fetchFn(url, { headers: { accept: 'application/json' }, signal });
      text = await res.text();
    } catch (err) {
      if (this.stopper.signal.aborted) throw err;
      if (signal.aborted) throw new PollError('timeout', `no answer within ${this.opts.timeoutMs} ms`, true);
      const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : (err as Error).message;
      throw new PollError('network', `no answer: ${cause}`, true);
    }
    if (!res.ok) {
      const detail = text.trim().slice(0, 300);
      if (res.status === 429) throw new PollError('http_429', `answered 429 (rate limited): ${detail}`, true);
      if (res.status >= 500) throw new PollError('http_5xx', `answered ${res.status}: ${detail}`, true);
      throw new PollError('http_4xx', `answered ${res.status}: ${detail}`, false);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw new PollError('malformed', `answered with a body that is not JSON (${(err as Error).message})`, true);
    }
    try {
      return responseLocations(body, points.length);
    } catch (err) {
      if (err instanceof UnexpectedResponse) throw new PollError('unexpected', err.message, false);
      throw err;
    }
  }
}

import { isRetriable } from '@saferoads/shared/errors';
import type { Logger } from '@saferoads/shared/logger';
import { retry } from '@saferoads/shared/retry';
import type { Counter, ServiceMetrics } from '@saferoads/shared/service';
import { atLeast } from '../levels.js';
import type { AlertEvent } from '../types.js';
import { webhookConfig, type WebhookConfig, type WebhookOptions, type WebhookRoute } from './config.js';
import { postJson, WebhookError, type FetchLike } from './http.js';
import type { DeliveryKey, NotificationLog } from './log.js';
import { slackPayload } from './payload.js';

export type DeliveryOutcomeKind = 'sent' | 'failed' | 'exhausted' | 'skipped';

export interface DeliveryOutcome {
  readonly routeId: string;
  /** sent; failed: refused for good; exhausted: retries ran out; skipped: delivered (or being delivered) already. */
  readonly outcome: DeliveryOutcomeKind;
  /** Requests made now. */
  readonly attempts: number;
  readonly error?: string;
}

export interface NotifierDeps {
  readonly log: NotificationLog;
  /** Counters `saferoads_alert_webhook_deliveries_total{route,outcome}` and `..._retries_total{route}`. */
  readonly metrics?: ServiceMetrics;
  readonly logger?: Logger;
  /** Injected for tests; the global fetch by default. */
  readonly fetch?: FetchLike;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
}

/** Whether `route` sends `e`: its lifecycle type is one of the route's and its level at least the route's. */
export function routeMatches(route: WebhookRoute, e: Pick<AlertEvent, 'type' | 'level'>): boolean {
  return route.types.includes(e.type) && atLeast(e.level, route.minLevel);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends Slack-compatible webhook messages for alert lifecycle steps, per route, at most once per
 * (route, eventId): the NotificationLog is asked before the first request, so a replay of
 * risk.alerts, a restart or a second instance sends nothing that went out already. Transient
 * failures are retried with exponential backoff and full jitter (shared `retry`), honouring a
 * 429's Retry-After; a 4xx other than 408 and 429 is final.
 */
export class WebhookNotifier {
  readonly config: WebhookConfig;
  private readonly log: NotificationLog;
  private readonly logger?: Logger;
  private readonly deliveries?: Counter<'route' | 'outcome'>;
  private readonly retries?: Counter<'route'>;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    opts: WebhookOptions,
    private readonly deps: NotifierDeps,
  ) {
    this.config = webhookConfig(opts);
    this.log = deps.log;
    this.logger = deps.logger?.child({ stage: 'webhook' });
    this.sleep = deps.sleep ?? defaultSleep;
    this.now = deps.now ?? Date.now;
    if (deps.metrics) {
      this.deliveries = deps.metrics.counter({
        name: 'alert_webhook_deliveries_total',
        help: 'Webhook notifications by route and outcome: sent, failed (refused for good), exhausted (retries ran out), skipped (already delivered)',
        labelNames: ['route', 'outcome'],
      });
      this.retries = deps.metrics.counter({ name: 'alert_webhook_retries_total', help: 'Webhook requests retried after a transient failure, by route', labelNames: ['route'] });
    }
  }

  /** The routes that send `e`. */
  routesFor(e: Pick<AlertEvent, 'type' | 'level'>): WebhookRoute[] {
    return this.config.routes.filter((r) => routeMatches(r, e));
  }

  /**
   * Delivers `e` on every matching route (in parallel) and answers what happened on each. Failed
   * requests do not throw; a NotificationLog that cannot be reached does, before anything is sent
   * on that route.
   */
  async deliver(e: AlertEvent): Promise<DeliveryOutcome[]> {
    return Promise.all(this.routesFor(e).map((route) => this.deliverOn(route, e)));
  }

  /** deliver() in the background, so a consumer does not wait for slow receivers; idle() waits for them. */
  submit(e: AlertEvent): void {
    const p = this.deliver(e)
      .catch((err: unknown) => this.logger?.error({ err, eventId: e.eventId }, 'webhook delivery could not be recorded'))
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Resolves when every submitted delivery has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async deliverOn(route: WebhookRoute, e: AlertEvent): Promise<DeliveryOutcome> {
    const key: DeliveryKey = { routeId: route.id, eventId: e.eventId, alertId: e.alertId };
    if (!(await this.log.claim(key, this.now(), this.config.leaseMs))) {
      this.deliveries?.inc({ route: route.id, outcome: 'skipped' });
      return { routeId: route.id, outcome: 'skipped', attempts: 0 };
    }
    const body = slackPayload(e, { alertLinkBase: this.config.alertLinkBase });
    const c = this.config;
    let attempts = 0;
    let retryAfterMs = 0;
    try {
      await retry(
        async () => {
          attempts++;
          await postJson(route.url, body, { timeoutMs: c.timeoutMs, headers: route.headers, fetch: this.deps.fetch, now: this.now });
        },
        {
          attempts: c.attempts,
          initialDelayMs: c.initialDelayMs,
          maxDelayMs: c.maxDelayMs,
          // A receiver that asks for more patience than we give ends the delivery as exhausted.
          retryOn: (err) => isRetriable(err) && !(err instanceof WebhookError && err.retryAfterMs !== null && err.retryAfterMs > c.maxRetryAfterMs),
          onRetry: (err, attempt, delayMs) => {
            retryAfterMs = err instanceof WebhookError && err.retryAfterMs !== null ? err.retryAfterMs : 0;
            this.retries?.inc({ route: route.id });
            this.logger?.warn({ route: route.id, eventId: e.eventId, attempt, delayMs: Math.max(delayMs, retryAfterMs), err: (err as Error).message }, 'webhook request failed, retrying');
          },
          // Never sooner than the receiver's Retry-After.
          sleep: (ms) => this.sleep(Math.max(ms, retryAfterMs)),
          random: this.deps.random,
        },
      );
    } catch (err) {
      const outcome = isRetriable(err) ? 'exhausted' : 'failed';
      const error = (err as Error).message;
      await this.log.complete(key, { status: outcome, attempts, error }, this.now());
      this.deliveries?.inc({ route: route.id, outcome });
      this.logger?.error({ route: route.id, eventId: e.eventId, attempts, err: error }, `webhook delivery ${outcome}`);
      return { routeId: route.id, outcome, attempts, error };
    }
    await this.log.complete(key, { status: 'delivered', attempts }, this.now());
    this.deliveries?.inc({ route: route.id, outcome: 'sent' });
    this.logger?.info({ route: route.id, eventId: e.eventId, attempts }, 'webhook delivered');
    return { routeId: route.id, outcome: 'sent', attempts };
  }
}

import { MemoryNotificationLog, WebhookNotifier, type NotificationLog, type WebhookRouteOptions } from '@saferoads/alert-exchange';
import type { Bus } from '@saferoads/shared/bus';
import { ConfigError } from '@saferoads/shared/errors';
import type { Logger } from '@saferoads/shared/logger';
import type { Network } from '@saferoads/shared/network';
import type { Readiness, ServiceMetrics } from '@saferoads/shared/service';
import { TOPICS } from '@saferoads/shared/topics';
import { buildApp, type AlertApiApp } from './app.js';
import { ensureBootstrapKeys } from './auth/bootstrap.js';
import type { AlertApiConfig } from './config.js';
import { startAlertConsumer, type AlertConsumer, type ConsumerTopics } from './consumer/consumer.js';
import { notifierEvent } from './exchange.js';
import type { AlertStore } from './store/store.js';

export interface AttachOptions {
  readonly bus: Bus;
  readonly store: AlertStore;
  readonly network: Network;
  readonly log: Logger;
  readonly metrics: ServiceMetrics;
  readonly config: AlertApiConfig;
  readonly readiness?: Readiness;
  readonly topics?: ConsumerTopics;
  /** Where PUT /v1/thresholds publishes (risk.thresholds unless given). */
  readonly thresholdsTopic?: string;
  /** The pipeline's event time (buildApp's eventNow): the wall clock unless given. */
  readonly eventNow?: () => number;
  /** Where webhook deliveries are recorded (SqlNotificationLog on the store's database); in memory when absent. */
  readonly notificationLog?: NotificationLog;
}

/** The webhook routes of ALERT_API_WEBHOOKS (JSON), checked by the notifier's own configuration. */
export function webhookRoutes(json: string | undefined): WebhookRouteOptions[] {
  if (json === undefined) return [];
  let routes: unknown;
  try {
    routes = JSON.parse(json);
  } catch (err) {
    throw new ConfigError('alert-api', [`ALERT_API_WEBHOOKS: not JSON (${(err as Error).message})`]);
  }
  if (!Array.isArray(routes)) throw new ConfigError('alert-api', ['ALERT_API_WEBHOOKS: must be a JSON array of routes']);
  return routes as WebhookRouteOptions[];
}

export interface AttachedAlertApi extends AlertApiApp {
  readonly consumer: AlertConsumer;
  /** Sends webhook notifications of alert events; null when no route is configured. */
  readonly notifier: WebhookNotifier | null;
  /** Stops the consumer and the pruning, then closes the app (the bus and the store stay the caller's). */
  close(): Promise<void>;
}

/**
 * The alert API on an existing bus and store: creates the bootstrap keys, builds the app (its
 * thresholds published on `thresholdsTopic`), starts the consumer (which feeds the store and the
 * stream), the history pruning and the retry of unpublished thresholds. The embedded
 * `npm start` and the service's main both use it; the caller listens.
 */
export async function attachAlertApi(o: AttachOptions): Promise<AttachedAlertApi> {
  const log = o.log;
  const routes = webhookRoutes(o.config.webhooks);
  const notifier =
    routes.length === 0
      ? null
      : new WebhookNotifier(
          { routes, ...(o.config.webhookAlertLinkBase && { alertLinkBase: o.config.webhookAlertLinkBase }) },
          { log: o.notificationLog ?? new MemoryNotificationLog(), metrics: o.metrics, logger: log },
        );
  if (notifier && !o.notificationLog) log.warn('webhook deliveries are recorded in memory only: a restart may notify an event again');
  const created = await ensureBootstrapKeys(o.store, { admin: o.config.bootstrapAdminKey, operator: o.config.bootstrapOperatorKey, viewer: o.config.bootstrapViewerKey }, Date.now());
  if (created.length) log.info({ roles: created }, 'bootstrap API keys created');
  const producer = o.bus.producer();
  const thresholdsTopic = o.thresholdsTopic ?? TOPICS.thresholds;
  const api = await buildApp({
    store: o.store,
    network: o.network,
    log,
    metrics: o.metrics,
    config: o.config,
    thresholdsSink: (record) => producer.send(thresholdsTopic, [record]),
    ...(o.readiness && { readiness: o.readiness }),
    ...(o.eventNow && { eventNow: o.eventNow }),
  });
  const topics = o.topics ?? { scores: TOPICS.scores, alerts: TOPICS.alerts, stats: TOPICS.stats, weather: TOPICS.weather };
  const consumer = startAlertConsumer({
    bus: o.bus,
    store: o.store,
    hub: api.hub,
    geo: (id) => api.geo.get(id),
    topics,
    groupId: o.config.groupId,
    log,
    metrics: api.metrics,
    ...(notifier && { onAlertEvents: (events) => events.forEach((e) => notifier.submit(notifierEvent(e, o.network))) }),
    onApplied: (topic, changed) => {
      if (topic === topics.scores && changed > 0) api.scoresChanged();
    },
  });
  const pruneLog = log.child({ stage: 'prune' });
  const prune = setInterval(() => {
    o.store.prune(o.config.historyRetentionMinutes * 60_000).then(
      (n) => {
        if (n.scores + n.stats > 0) pruneLog.debug(n, 'old history deleted');
      },
      (err: unknown) => pruneLog.warn({ err }, 'pruning history failed'),
    );
  }, o.config.pruneIntervalMs);
  prune.unref();
  // A version stored while the bus was away (or before a crash) is published by a later flush.
  const thresholdsLog = log.child({ stage: 'thresholds' });
  const publishPending = () => void api.thresholds.flush().catch((err: unknown) => thresholdsLog.warn({ err }, 'publishing the newest thresholds version failed: trying again'));
  publishPending();
  const republish = setInterval(publishPending, o.config.thresholdsPublishRetryMs);
  republish.unref();
  return {
    ...api,
    consumer,
    notifier,
    close: async () => {
      clearInterval(prune);
      clearInterval(republish);
      await consumer.stop();
      await notifier?.idle();
      await api.app.close();
      await api.thresholds.idle();
      await producer.close();
    },
  };
}

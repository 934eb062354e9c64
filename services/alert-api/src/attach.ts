import type { Bus } from '@saferoads/shared/bus';
import type { Logger } from '@saferoads/shared/logger';
import type { Network } from '@saferoads/shared/network';
import type { Readiness, ServiceMetrics } from '@saferoads/shared/service';
import { TOPICS } from '@saferoads/shared/topics';
import { buildApp, type AlertApiApp } from './app.js';
import { ensureBootstrapKeys } from './auth/bootstrap.js';
import type { AlertApiConfig } from './config.js';
import { startAlertConsumer, type AlertConsumer, type ConsumerTopics } from './consumer/consumer.js';
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
}

export interface AttachedAlertApi extends AlertApiApp {
  readonly consumer: AlertConsumer;
  /** Stops the consumer and the pruning, then closes the app (the bus and the store stay the caller's). */
  close(): Promise<void>;
}

/**
 * The alert API on an existing bus and store: creates the bootstrap keys, builds the app, starts
 * the consumer (which feeds the store and the stream) and the history pruning. The embedded
 * `npm start` and the service's main both use it; the caller listens.
 */
export async function attachAlertApi(o: AttachOptions): Promise<AttachedAlertApi> {
  const log = o.log;
  const created = await ensureBootstrapKeys(o.store, { admin: o.config.bootstrapAdminKey, operator: o.config.bootstrapOperatorKey, viewer: o.config.bootstrapViewerKey }, Date.now());
  if (created.length) log.info({ roles: created }, 'bootstrap API keys created');
  const api = await buildApp({ store: o.store, network: o.network, log, metrics: o.metrics, config: o.config, ...(o.readiness && { readiness: o.readiness }) });
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
  return {
    ...api,
    consumer,
    close: async () => {
      clearInterval(prune);
      await consumer.stop();
      await api.app.close();
    },
  };
}

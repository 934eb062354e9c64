import type { Bus, BusProducer } from '@saferoads/shared/bus';
import type { WeatherObservation } from '@saferoads/shared/contracts';
import { ConfigError } from '@saferoads/shared/errors';
import { buildIngestApp, deadLetterRecord, publishBatch, type IngestApp, type IngestMetrics, type RejectedRecord } from '@saferoads/shared/ingest';
import type { Logger } from '@saferoads/shared/logger';
import type { Readiness, ServiceMetrics } from '@saferoads/shared/service';
import { TOPICS } from '@saferoads/shared/topics';
import { checkObservation, observationRecord } from './check.js';
import type { LatLon, WeatherIngestConfig } from './config.js';
import { weatherIngestMetrics } from './metrics.js';
import { pollerMetrics } from './poller/metrics.js';
import { OpenMeteoPoller, type PollerOptions } from './poller/poller.js';
import { observationsRoute } from './routes/observations.js';

export interface WeatherTopics {
  readonly observations: string;
  readonly dlq: string;
}

export interface BuildAppOptions {
  readonly bus: Bus;
  /** The service's one logger; the app logs through its children `stage: http`, `ingest`, `poll` and `ops`. */
  readonly log: Logger;
  readonly metrics: ServiceMetrics;
  readonly config: WeatherIngestConfig;
  /** Passed in when the caller adds checks or marks the service stopping; a new one otherwise. */
  readonly readiness?: Readiness;
  readonly topics?: WeatherTopics;
  /** The gateway's clock (epoch ms), for the future-reading check; Date.now by default. */
  readonly now?: () => number;
  /** With WEATHER_POLL_ENABLED: the points to poll (WEATHER_POLL_POINTS, or the network grid). */
  readonly pollPoints?: readonly LatLon[];
  /** Injected in tests: the poller's fetch, jitter and sleep. */
  readonly pollDeps?: Pick<PollerOptions, 'fetch' | 'random' | 'sleep'>;
}

/** What the poller shares with the gateway: its producer, metrics, checks and topics. */
export interface PollerWiring {
  readonly producer: BusProducer;
  readonly ingest: IngestMetrics;
  readonly metrics: ServiceMetrics;
  readonly log: Logger;
  readonly config: WeatherIngestConfig;
  readonly topics: WeatherTopics;
  readonly now: () => number;
  readonly points: readonly LatLon[];
  readonly deps?: Pick<PollerOptions, 'fetch' | 'random' | 'sleep'>;
}

/** The Open-Meteo poller, writing through the gateway's producer path: the same checks, topics, dead letters and produce timings. */
export function weatherPoller(w: PollerWiring): OpenMeteoPoller {
  const { config, producer, topics } = w;
  if (w.points.length === 0) throw new ConfigError('weather-ingest', ['WEATHER_POLL_ENABLED: there are no points to poll (WEATHER_POLL_POINTS is empty and the network gives none)']);
  return new OpenMeteoPoller({
    url: config.openMeteoUrl,
    points: w.points,
    intervalMs: config.pollIntervalS * 1000,
    timeoutMs: config.pollTimeoutMs,
    attempts: config.pollAttempts,
    backoff: { initialDelayMs: config.pollBackoffMs, maxDelayMs: config.pollBackoffMaxMs },
    maxLocations: config.pollMaxLocations,
    check: (value) => checkObservation(value, { nowMs: w.now(), maxFutureMs: config.maxFutureS * 1000 }),
    publish: (accepted: readonly WeatherObservation[], rejected: readonly RejectedRecord[]) =>
      publishBatch({ producer, produceSeconds: w.ingest.produceSeconds }, [
        { topic: topics.observations, records: accepted.map(observationRecord) },
        { topic: topics.dlq, records: rejected.map((r) => deadLetterRecord(r)) },
      ]),
    metrics: pollerMetrics(w.metrics),
    log: w.log.child({ stage: 'poll' }),
    now: w.now,
    ...w.deps,
  });
}

/**
 * The weather ingest gateway as a Fastify application, ready for `inject` in tests or `listen`;
 * with WEATHER_POLL_ENABLED it also polls Open-Meteo. Closing it stops the poller, finishes
 * in-flight requests and closes its bus producer; the bus itself belongs to the caller.
 */
export async function buildApp(opts: BuildAppOptions): Promise<IngestApp> {
  const topics = opts.topics ?? { observations: TOPICS.weather, dlq: TOPICS.weatherDlq };
  const now = opts.now ?? Date.now;
  const { config } = opts;
  return buildIngestApp({
    bus: opts.bus,
    log: opts.log,
    metrics: opts.metrics,
    ...(opts.readiness && { readiness: opts.readiness }),
    bodyLimitBytes: config.bodyLimitBytes,
    readyTopic: topics.observations,
    routes: async (app, producer) => {
      const ingest = weatherIngestMetrics(opts.metrics);
      await observationsRoute(app, {
        producer,
        metrics: ingest,
        limits: config,
        maxFutureMs: config.maxFutureS * 1000,
        now,
        topics,
        log: opts.log.child({ stage: 'ingest' }),
      });
      if (!config.pollEnabled) return;
      const poller = weatherPoller({ producer, ingest, metrics: opts.metrics, log: opts.log, config, topics, now, points: opts.pollPoints ?? [], ...(opts.pollDeps && { deps: opts.pollDeps }) });
      app.addHook('onReady', async () => poller.start());
      // Before the producer closes (onClose): a poll in progress finishes its publish first.
      app.addHook('preClose', async () => poller.stop());
    },
  });
}

export type WeatherIngestApp = IngestApp;

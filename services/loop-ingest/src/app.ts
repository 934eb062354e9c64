import type { Bus } from '@saferoads/shared/bus';
import type { Logger } from '@saferoads/shared/logger';
import type { Network } from '@saferoads/shared/network';
import { httpErrors, opsRoutes, Readiness, type ServiceMetrics } from '@saferoads/shared/service';
import { TOPICS } from '@saferoads/shared/topics';
import Fastify from 'fastify';
import type { LoopIngestConfig } from './config.js';
import { ingestMetrics } from './metrics.js';
import { detectionsRoute } from './routes/detections.js';

export interface BuildAppOptions {
  readonly bus: Bus;
  readonly network: Network;
  /** The service's one logger; the app logs through its children `stage: http` (requests), `ingest` and `ops`. */
  readonly log: Logger;
  readonly metrics: ServiceMetrics;
  readonly config: LoopIngestConfig;
  /** Passed in when the caller adds checks or marks the service stopping; a new one otherwise. */
  readonly readiness?: Readiness;
  readonly topics?: { readonly detections: string; readonly dlq: string };
}

/**
 * The loop ingest gateway as a Fastify application, ready for `inject` in tests or `listen`.
 * Closing it (after in-flight requests have finished) closes its bus producer; the bus itself
 * belongs to the caller.
 */
export async function buildApp(opts: BuildAppOptions) {
  const topics = opts.topics ?? { detections: TOPICS.detections, dlq: TOPICS.detectionsDlq };
  const app = Fastify({
    loggerInstance: opts.log.child({ stage: 'http' }),
    bodyLimit: opts.config.bodyLimitBytes,
    // Proxies' request ids carry through to our logs, so one request is traced across both.
    requestIdHeader: 'x-request-id',
  });

  const readiness = opts.readiness ?? new Readiness();
  // The topic's metadata answers only when the bus is reachable and the topic exists (Kafka:
  // the cluster answers; in-process: ensureTopics has run), which is what a send needs.
  readiness.add('bus', async () => {
    await opts.bus.partitionsOf(topics.detections);
  });

  const producer = opts.bus.producer();
  app.addHook('onClose', async () => {
    await producer.close();
  });

  await app.register(httpErrors);
  await app.register(opsRoutes, { metrics: opts.metrics, readiness, log: opts.log });
  await app.register(detectionsRoute, {
    producer,
    network: opts.network,
    metrics: ingestMetrics(opts.metrics),
    config: opts.config,
    topics,
    log: opts.log.child({ stage: 'ingest' }),
  });
  await app.ready();
  return app;
}

export type LoopIngestApp = Awaited<ReturnType<typeof buildApp>>;

/** Starts accepting connections; resolves with the address it listens on. */
export function listen(app: LoopIngestApp, config: Pick<LoopIngestConfig, 'port' | 'host'>): Promise<string> {
  return app.listen({ port: config.port, host: config.host });
}

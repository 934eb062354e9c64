import type { Bus } from '@saferoads/shared/bus';
import { buildIngestApp, type IngestApp } from '@saferoads/shared/ingest';
import type { Logger } from '@saferoads/shared/logger';
import type { Network } from '@saferoads/shared/network';
import type { Readiness, ServiceMetrics } from '@saferoads/shared/service';
import { TOPICS } from '@saferoads/shared/topics';
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
export async function buildApp(opts: BuildAppOptions): Promise<IngestApp> {
  const topics = opts.topics ?? { detections: TOPICS.detections, dlq: TOPICS.detectionsDlq };
  return buildIngestApp({
    bus: opts.bus,
    log: opts.log,
    metrics: opts.metrics,
    ...(opts.readiness && { readiness: opts.readiness }),
    bodyLimitBytes: opts.config.bodyLimitBytes,
    readyTopic: topics.detections,
    routes: (app, producer) =>
      detectionsRoute(app, {
        producer,
        network: opts.network,
        metrics: ingestMetrics(opts.metrics),
        config: opts.config,
        topics,
        log: opts.log.child({ stage: 'ingest' }),
      }),
  });
}

export type LoopIngestApp = IngestApp;

/** Starts accepting connections; resolves with the address it listens on. */
export function listen(app: LoopIngestApp, config: Pick<LoopIngestConfig, 'port' | 'host'>): Promise<string> {
  return app.listen({ port: config.port, host: config.host });
}

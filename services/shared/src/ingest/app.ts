import Fastify, { type FastifyInstance } from 'fastify';
import type { Bus, BusProducer } from '../bus/port.js';
import type { Logger } from '../logger.js';
import { httpErrors } from '../service/error-handler.js';
import type { ServiceMetrics } from '../service/metrics.js';
import { opsRoutes } from '../service/ops-plugin.js';
import { Readiness } from '../service/readiness.js';

export interface IngestAppOptions {
  readonly bus: Bus;
  /** The service's one logger; the app logs through its children `stage: http` (requests) and `ops`. */
  readonly log: Logger;
  readonly metrics: ServiceMetrics;
  /** Passed in when the caller adds checks or marks the service stopping; a new one otherwise. */
  readonly readiness?: Readiness;
  readonly bodyLimitBytes: number;
  /** The topic the gateway writes: the bus is ready when it has it. */
  readonly readyTopic: string;
  /** Registers the gateway's own routes (in an encapsulated plugin), writing through `producer`. */
  readonly routes: (app: FastifyInstance, producer: BusProducer) => Promise<void>;
}

/**
 * A batch gateway as a Fastify application, ready for `inject` in tests or `listen`: the common
 * error shape, /healthz, /readyz (the bus has the topic) and /metrics, and the gateway's routes.
 * Closing it (after in-flight requests have finished) closes its bus producer; the bus itself
 * belongs to the caller.
 */
export async function buildIngestApp(opts: IngestAppOptions) {
  const app = Fastify({
    loggerInstance: opts.log.child({ stage: 'http' }),
    bodyLimit: opts.bodyLimitBytes,
    // Proxies' request ids carry through to our logs, so one request is traced across both.
    requestIdHeader: 'x-request-id',
  });

  const readiness = opts.readiness ?? new Readiness();
  // The topic's metadata answers only when the bus is reachable and the topic exists (Kafka:
  // the cluster answers; in-process: ensureTopics has run), which is what a send needs.
  readiness.add('bus', async () => {
    await opts.bus.partitionsOf(opts.readyTopic);
  });

  const producer = opts.bus.producer();
  app.addHook('onClose', async () => {
    await producer.close();
  });

  await app.register(httpErrors);
  await app.register(opsRoutes, { metrics: opts.metrics, readiness, log: opts.log });
  await app.register(async (scope) => opts.routes(scope, producer));
  await app.ready();
  return app;
}

export type IngestApp = Awaited<ReturnType<typeof buildIngestApp>>;

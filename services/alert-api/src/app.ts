import { existsSync } from 'node:fs';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { BusRecord } from '@saferoads/shared/bus';
import type { Logger } from '@saferoads/shared/logger';
import type { Network } from '@saferoads/shared/network';
import { opsRoutes, Readiness, type ServiceMetrics } from '@saferoads/shared/service';
import { Authenticator } from './auth/authenticator.js';
import { authPlugin } from './auth/plugin.js';
import type { AlertApiConfig } from './config.js';
import { networkGeo } from './geo.js';
import { alertApiErrors } from './http/errors.js';
import { alertRoutes } from './http/routes/alerts.js';
import { exportRoutes } from './http/routes/exports.js';
import { keyRoutes } from './http/routes/keys.js';
import { meRoutes } from './http/routes/me.js';
import { segmentRoutes } from './http/routes/segments.js';
import { streamRoutes } from './http/routes/stream.js';
import { thresholdsRoutes } from './http/routes/thresholds.js';
import { weatherRoutes } from './http/routes/weather.js';
import { SegmentsView } from './http/segments-view.js';
import { useStrictValidators } from './http/validators.js';
import { alertApiMetrics, type AlertApiMetrics } from './metrics.js';
import type { AlertStore, SegmentGeo } from './store/store.js';
import { StreamHub } from './stream/hub.js';
import { ThresholdsOutbox } from './thresholds/outbox.js';

export interface BuildAppOptions {
  readonly store: AlertStore;
  readonly network: Network;
  /** The service's one logger; the app logs through its children `stage: http` and `ops`. */
  readonly log: Logger;
  readonly metrics: ServiceMetrics;
  readonly config: AlertApiConfig;
  /** The live stream's hub; a new one (from the configuration) when absent. */
  readonly hub?: StreamHub;
  readonly readiness?: Readiness;
  /** Sends one record to risk.thresholds (PUT /v1/thresholds); resolves once the bus has it. */
  readonly thresholdsSink: (record: BusRecord) => Promise<void>;
  readonly now?: () => number;
  /**
   * The pipeline's event time, for the thresholds' effective times (the default is its next minute
   * boundary, and none may be before it): the wall clock (`now`) unless given, as in a deployment;
   * the simulated clock of `npm start`.
   */
  readonly eventNow?: () => number;
  /** Least time between two builds of GET /v1/segments after scores changed (default 1 s; tests 0). */
  readonly segmentsMinRebuildMs?: number;
}

export interface AlertApiApp {
  readonly app: FastifyInstance;
  readonly hub: StreamHub;
  readonly metrics: AlertApiMetrics;
  /** Where each segment of the network is (for the consumer: new alerts are placed with it). */
  readonly geo: ReadonlyMap<string, SegmentGeo>;
  /** Tell the app scores changed (the consumer calls it), so GET /v1/segments is built afresh. */
  scoresChanged(): void;
  /** Publishes a thresholds version stored but not on the bus yet (attachAlertApi retries it). */
  readonly thresholds: ThresholdsOutbox;
}

/** The dashboard's own files only: no inline scripts or styles, nothing from elsewhere. */
const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const OPEN_PATHS = /^\/(healthz|readyz|metrics)(\?|$)/;

/**
 * The alert API as a Fastify application, ready for `inject` in tests or `listen`. It reads the
 * store; what fills the store (the consumer) is attached apart (attachAlertApi). Closing it ends
 * the open streams; the store belongs to the caller.
 */
export async function buildApp(opts: BuildAppOptions): Promise<AlertApiApp> {
  const c = opts.config;
  const now = opts.now ?? Date.now;
  const app = Fastify({
    // As Fastify's own logger type, so the app is a plain FastifyInstance (pino's type is wider).
    loggerInstance: opts.log.child({ stage: 'http' }) as FastifyBaseLogger,
    bodyLimit: c.bodyLimitBytes,
    requestIdHeader: 'x-request-id',
  });
  useStrictValidators(app);
  // Bodies are JSON only: anything else is 415, not a string that fails the body's schema.
  app.removeContentTypeParser('text/plain');
  const metrics = alertApiMetrics(opts.metrics);
  const hub = opts.hub ?? new StreamHub({ bufferSize: c.streamBuffer });
  const geo = networkGeo(opts.network);
  const view = new SegmentsView(opts.network, opts.store, { minRebuildMs: opts.segmentsMinRebuildMs ?? 1_000, maxAgeMs: 30_000 }, now);
  const authenticator = new Authenticator({ store: opts.store, jwtSecret: c.jwtSecret, jwtIssuer: c.jwtIssuer, jwtAudience: c.jwtAudience, keyCacheMs: c.keyCacheMs, now });
  const outbox = new ThresholdsOutbox({ store: opts.store, send: opts.thresholdsSink, horizonMs: c.thresholdsHorizonHours * 3_600_000, log: opts.log.child({ stage: 'thresholds' }), now });
  const readiness = opts.readiness ?? new Readiness();
  readiness.add('database', () => opts.store.ping());

  await app.register(alertApiErrors, { bodyLimitBytes: c.bodyLimitBytes });
  await app.register(opsRoutes, { metrics: opts.metrics, readiness, log: opts.log });
  await app.register(helmet, { contentSecurityPolicy: { directives: CSP }, crossOriginEmbedderPolicy: false });
  // No origin is allowed unless configured: the dashboard is served from this same origin.
  await app.register(cors, { origin: c.corsOrigins.length > 0 ? c.corsOrigins : false, methods: ['GET', 'POST', 'PUT', 'DELETE'], allowedHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID', 'If-Match'], exposedHeaders: ['ETag'], maxAge: 600 });
  await app.register(rateLimit, { max: c.rateLimitMax, timeWindow: c.rateLimitWindowMs, allowList: (request) => OPEN_PATHS.test(request.url) });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Saferoads alert API', version: '1', description: 'Segments with their latest risk, alerts with acknowledge and resolve, a live stream. docs/alert-api.md' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key (srk_...) or an HS256 JWT with sub and role' } } },
      security: [{ bearer: [] }],
    },
  });
  // Swagger UI sets its own CSP on its pages (hashes of its inline parts).
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  await app.register(authPlugin, { authenticator, metrics });
  await app.register(
    async (v1) => {
      await v1.register(meRoutes);
      await v1.register(segmentRoutes, { store: opts.store, network: opts.network, geo, view, weatherRadiusKm: c.weatherRadiusKm });
      await v1.register(alertRoutes, { store: opts.store, hub, metrics, now });
      await v1.register(weatherRoutes, { store: opts.store });
      await v1.register(exportRoutes, { store: opts.store, network: opts.network, config: c, now });
      await v1.register(keyRoutes, { store: opts.store, authenticator, metrics, now });
      await v1.register(thresholdsRoutes, { store: opts.store, outbox, metrics, now, eventNow: opts.eventNow ?? now });
      await v1.register(streamRoutes, { hub, metrics, heartbeatMs: c.streamHeartbeatMs, maxBufferedBytes: c.streamMaxBufferedBytes, maxClients: c.streamMaxClients });
    },
    { prefix: '/v1' },
  );
  if (existsSync(c.dashboardDir)) {
    await app.register(fastifyStatic, { root: c.dashboardDir, prefix: '/', index: ['index.html'], schemaHide: true });
  } else {
    app.log.info({ dir: c.dashboardDir }, 'no dashboard build: / is not served');
  }
  await app.ready();
  return { app, hub, metrics, geo, scoresChanged: () => view.invalidate(), thresholds: outbox };
}

import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { errorBody } from './http-errors.js';
import type { ServiceMetrics } from './metrics.js';
import type { Readiness } from './readiness.js';

export interface OpsOptions {
  readonly metrics: ServiceMetrics;
  readonly readiness: Readiness;
  /** The service's logger, whose `stage: ops` child logs readiness changes; the app's logger when absent. */
  readonly log?: FastifyBaseLogger;
}

/** Request latencies worth telling apart, from a cached read to a large batch waiting for Kafka. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The operations endpoints every Saferoads service has: `GET /healthz` (the process answers),
 * `GET /readyz` (every readiness check passes) and `GET /metrics` (Prometheus text), plus a
 * request-duration histogram over all routes. Registered with fastify-plugin so the histogram's
 * hook sees every route of the application, not only these. Register it before the plugins that
 * add routes, so their contexts inherit the hook.
 */
export const opsRoutes = fp(
  async (app: FastifyInstance, opts: OpsOptions) => {
    const duration = opts.metrics.histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by method, route and status code, with their duration from arrival to response',
      labelNames: ['method', 'route', 'status_code'],
      buckets: HTTP_BUCKETS,
    });
    app.addHook('onResponse', async (request, reply) => {
      // The route pattern, not the URL, so that labels stay few; unknown URLs share one label.
      const route = request.routeOptions.url ?? '(unmatched)';
      duration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });

    // Probes come every few seconds: their request logs would drown everything else.
    const quiet = { logLevel: 'warn' } as const;
    const log = (opts.log ?? app.log).child({ stage: 'ops' });
    let wasReady: boolean | null = null;

    app.get('/healthz', quiet, async () => ({ status: 'ok' }));

    app.get('/readyz', quiet, async (_request, reply) => {
      const results = await opts.readiness.evaluate();
      const failing = results.filter((r) => !r.ok);
      const ready = failing.length === 0;
      // Only changes are logged: a probe's every answer would be noise.
      if (ready !== wasReady) {
        if (ready) log.info({ checks: results.map((r) => r.name) }, 'ready');
        else log.warn({ failing: failing.map((r) => ({ check: r.name, reason: r.reason })) }, 'not ready');
        wasReady = ready;
      }
      if (ready) return { status: 'ready', checks: Object.fromEntries(results.map((r) => [r.name, 'ok'])) };
      const names = failing.map((r) => `${r.name} (${r.reason ?? 'failed'})`).join(', ');
      const details = failing.map((r) => ({ check: r.name, reason: r.reason ?? 'failed' }));
      return reply.code(503).send(errorBody(503, `not ready: ${names}`, details));
    });

    app.get('/metrics', quiet, async (_request, reply) => reply.type(opts.metrics.contentType).send(await opts.metrics.text()));
  },
  { name: 'saferoads-ops', fastify: '5.x' },
);

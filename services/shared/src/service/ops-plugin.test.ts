import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceMetrics } from './metrics.js';
import { opsRoutes } from './ops-plugin.js';
import { Readiness } from './readiness.js';

const apps: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function build(readiness = new Readiness()) {
  const metrics = new ServiceMetrics('ops-test', { defaultMetrics: false });
  const app = Fastify({ logger: false });
  apps.push(app);
  await app.register(opsRoutes, { metrics, readiness });
  app.get('/items/:id', async () => ({ id: 1 }));
  await app.ready();
  return { app, metrics };
}

describe('ops routes', () => {
  it('GET /healthz answers while the process runs', async () => {
    const { app } = await build();
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz is 200 when every check passes', async () => {
    const { app } = await build(new Readiness().add('bus', () => undefined).add('network', () => undefined));
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', checks: { bus: 'ok', network: 'ok' } });
  });

  it('GET /readyz is 503 naming the failing check and its reason', async () => {
    const readiness = new Readiness()
      .add('bus', () => {
        throw new Error('broker unreachable');
      })
      .add('network', () => undefined);
    const { app } = await build(readiness);
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'not ready: bus (broker unreachable)',
      details: [{ check: 'bus', reason: 'broker unreachable' }],
    });
  });

  it('GET /metrics serves the registry as Prometheus text, with request durations by route pattern', async () => {
    const { app, metrics } = await build();
    metrics.counter({ name: 'widgets_total', help: 'widgets' }).inc(3);
    await app.inject({ method: 'GET', url: '/items/41' });
    await app.inject({ method: 'GET', url: '/items/42' });
    await app.inject({ method: 'GET', url: '/nowhere' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(metrics.contentType);
    const lines = res.body.split('\n');
    expect(lines).toContain('saferoads_widgets_total{service="ops-test"} 3');
    expect(lines).toContain('saferoads_http_request_duration_seconds_count{service="ops-test",method="GET",route="/items/:id",status_code="200"} 2');
    expect(lines).toContain('saferoads_http_request_duration_seconds_count{service="ops-test",method="GET",route="(unmatched)",status_code="404"} 1');
  });
});

import { Readiness } from '@saferoads/shared/service';
import { describe, expect, it } from 'vitest';
import { metricValue, testAppPerTest } from './testing/harness.js';

const start = testAppPerTest();

describe('ops endpoints of the weather gateway', () => {
  it('GET /healthz is 200 and GET /readyz is 200 when the bus has weather.observations', async () => {
    const { app } = await start();
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { bus: 'ok' } });
  });

  it('GET /readyz is 503 naming the bus when the topic is missing, and once shutdown has begun', async () => {
    const readiness = new Readiness();
    const { app } = await start({ ensureTopics: false, readiness });
    const missing = await app.inject({ method: 'GET', url: '/readyz' });
    expect(missing.statusCode).toBe(503);
    expect(missing.json()).toMatchObject({ details: [{ check: 'bus', reason: 'unknown topic weather.observations: create it with ensureTopics first' }] });
    readiness.markStopping();
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toMatchObject({ details: [{ check: 'shutdown', reason: 'the service is shutting down' }] });
  });

  it('GET /metrics has the gateway counters from zero, and no poller metrics while polling is off', async () => {
    const { app } = await start();
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(await metricValue(app, 'saferoads_weather_ingest_records_rejected_total', { reason: 'future' })).toBe(0);
    expect(text).not.toContain('saferoads_weather_poll_requests_total');
  });
});

import { Readiness } from '@saferoads/shared/service';
import { describe, expect, it } from 'vitest';
import { detection, metricValue, testAppPerTest } from './testing/harness.js';


const start = testAppPerTest();

describe('ops endpoints of the gateway', () => {
  it('GET /healthz answers 200 while the process runs', async () => {
    const { app } = await start();
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz is 200 when the bus has the detections topic', async () => {
    const { app } = await start();
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', checks: { bus: 'ok' } });
  });

  it('GET /readyz is 503 naming the bus check when the bus cannot take detections', async () => {
    const { app } = await start({ ensureTopics: false });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    const reason = 'unknown topic loop.detections: create it with ensureTopics first';
    expect(res.json()).toEqual({ statusCode: 503, error: 'Service Unavailable', message: `not ready: bus (${reason})`, details: [{ check: 'bus', reason }] });
  });

  it('GET /readyz is 503 once a graceful shutdown has begun, while /healthz stays 200', async () => {
    const readiness = new Readiness();
    const { app } = await start({ readiness });
    readiness.markStopping();
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'not ready: shutdown (the service is shutting down)',
      details: [{ check: 'shutdown', reason: 'the service is shutting down' }],
    });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('GET /metrics counts batches, records received, accepted and rejected by reason', async () => {
    const { app } = await start();
    const post = (contentType: string, payload: string) => app.inject({ method: 'POST', url: '/v1/detections', headers: { 'content-type': contentType }, payload });
    await post('application/json', JSON.stringify([detection('A13-S-001-L1', 1), detection('A13-S-001-L1', 2), { lane: 1 }]));
    await post('application/x-ndjson', `${JSON.stringify(detection('A13-S-002-L1', 1))}\nnot json\n${JSON.stringify(detection('Z', 1))}`);
    await post('application/json', JSON.stringify([detection('Z', 1)]));
    await post('text/csv', 'a,b');

    const metric = (name: string, labels: Record<string, string> = {}) => metricValue(app, `saferoads_loop_ingest_${name}`, labels);
    expect(await metric('batches_total', { status: '202' })).toBe(2);
    expect(await metric('batches_total', { status: '400' })).toBe(1);
    expect(await metric('batches_total', { status: '415' })).toBe(1);
    expect(await metric('records_received_total')).toBe(7);
    expect(await metric('records_accepted_total')).toBe(2);
    expect(await metric('records_rejected_total', { reason: 'schema' })).toBe(1);
    expect(await metric('records_rejected_total', { reason: 'unknown_detector' })).toBe(2);
    expect(await metric('records_rejected_total', { reason: 'lane_mismatch' })).toBe(1);
    expect(await metric('records_rejected_total', { reason: 'malformed' })).toBe(1);
    // Two batches wrote detections, three wrote dead letters: one timing per topic written.
    expect(await metric('produce_duration_seconds_count', { topic: 'loop.detections', outcome: 'ok' })).toBe(2);
    expect(await metric('produce_duration_seconds_count', { topic: 'loop.detections.dlq', outcome: 'ok' })).toBe(3);
  });

  it('answers an unknown route with the common error shape', async () => {
    const { app } = await start();
    const res = await app.inject({ method: 'GET', url: '/v2/detections' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'no route for GET /v2/detections' });
  });
});

import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { httpErrors } from './error-handler.js';
import { HttpError } from './http-errors.js';

const apps: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function build() {
  const app = Fastify({ logger: false });
  apps.push(app);
  await app.register(httpErrors);
  app.get('/teapot', async () => {
    throw new HttpError(503, 'the bus is unavailable', { headers: { 'retry-after': '5' }, details: [{ field: 'bus', reason: 'down' }], extra: { accepted: 0 } });
  });
  app.get('/boom', async () => {
    throw new Error('secret internal state');
  });
  app.post('/typed', { schema: { body: { type: 'object', required: ['lane'], properties: { lane: { type: 'integer', minimum: 1 } } } } }, async () => ({ ok: true }));
  await app.ready();
  return app;
}

describe('httpErrors', () => {
  it('answers an HttpError with its status, headers and body', async () => {
    const res = await (await build()).inject({ method: 'GET', url: '/teapot' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'the bus is unavailable',
      details: [{ field: 'bus', reason: 'down' }],
      accepted: 0,
    });
  });

  it('hides the message of an unexpected error behind a 500', async () => {
    const res = await (await build()).inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'internal error: the request could not be completed' });
  });

  it('names every field of a schema validation failure', async () => {
    const res = await (await build()).inject({ method: 'POST', url: '/typed', payload: { lane: 0 } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'invalid request body',
      details: [{ field: 'lane', reason: 'must be >= 1' }],
    });
  });

  it('keeps Fastify\'s own 4xx messages and answers unknown routes in the same shape', async () => {
    const app = await build();
    const bad = await app.inject({ method: 'POST', url: '/typed', headers: { 'content-type': 'application/json' }, payload: '{"lane":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ statusCode: 400, error: 'Bad Request', message: "Body is not valid JSON but content-type is set to 'application/json'" });
    const missing = await app.inject({ method: 'GET', url: '/nope?x=1' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'no route for GET /nope?x=1' });
  });
});

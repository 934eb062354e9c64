import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIN, T0, score, stats, weather } from '../testing/fixtures.js';
import { auth, testApiPerTest, testNetwork } from '../testing/harness.js';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { roundPosition } from './segments-view.js';

/** The tag the API derives from a body: sha256 in base64url, 22 characters. */
const tagOf = (body: string) => createHash('sha256').update(body).digest('base64url').slice(0, 22);

const start = testApiPerTest();
const dist = mkdtempSync(join(tmpdir(), 'saferoads-dashboard-'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Saferoads</title><script src="app.js"></script>');
afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe('segments and weather', () => {
  it('GET /v1/segments: every segment of the network as a LineString, with its latest score or null', async () => {
    const api = await start();
    await api.store.applyScores([score('A13-S-001', 0), score('A13-S-001', 1, { level: 'high' })]);
    const res = await api.app.inject({ method: 'GET', url: '/v1/segments', headers: auth('viewer') });
    expect([res.statusCode, res.headers['content-type']]).toEqual([200, 'application/json; charset=utf-8']);
    const body = res.json();
    const net = testNetwork();
    expect(body.type).toBe('FeatureCollection');
    expect(body.features).toHaveLength(net.segments.length);
    const s1 = net.byId.get('A13-S-001');
    expect(body.features[0]).toEqual({
      type: 'Feature',
      id: 'A13-S-001',
      geometry: { type: 'LineString', coordinates: s1?.coordinates.map(roundPosition) },
      properties: {
        segmentId: 'A13-S-001',
        name: s1?.props.name,
        road: 'A13',
        direction: 'southbound',
        lanes: 3,
        speedLimitKmh: 100,
        score: { windowEndMs: T0 + MIN, risk: 0.002, relativeRisk: 4, level: 'high', factors: score('A13-S-001', 1).factors, modelVersion: 'risk-test' },
      },
    });
    expect(body.features.filter((f: { properties: { score: unknown } }) => f.properties.score !== null)).toHaveLength(1);
  });

  it('GET /v1/segments: the same collection gzipped for a client that accepts it, coordinates to 6 decimals', async () => {
    const api = await start();
    const plain = await api.app.inject({ method: 'GET', url: '/v1/segments', headers: auth('viewer') });
    const zipped = await api.app.inject({ method: 'GET', url: '/v1/segments', headers: { ...auth('viewer'), 'accept-encoding': 'gzip, deflate' } });
    expect([zipped.headers['content-encoding'], zipped.headers.vary, plain.headers['content-encoding']]).toEqual(['gzip', 'accept-encoding', undefined]);
    expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(plain.body);
    expect(roundPosition([11.395554591936804, 47.19631279637225, 1358.04])).toEqual([11.395555, 47.196313, 1358]);
  });

  it('GET /v1/segments is built afresh once scores changed', async () => {
    const api = await start();
    const get = async () => (await api.app.inject({ method: 'GET', url: '/v1/segments', headers: auth('viewer') })).json().features[0].properties.score;
    expect(await get()).toBeNull();
    await api.store.applyScores([score('A13-S-001', 0)]);
    api.scoresChanged();
    expect((await get())?.windowEndMs).toBe(T0);
  });

  it.each(['/v1/segments', '/v1/segments/scores', '/v1/segments/geometry'])('GET %s: 200 with a strong ETag of its content, Cache-Control and Vary', async (url) => {
    const api = await start();
    const plain = await api.app.inject({ method: 'GET', url, headers: auth('viewer') });
    const zipped = await api.app.inject({ method: 'GET', url, headers: { ...auth('viewer'), 'accept-encoding': 'gzip' } });
    const tag = tagOf(plain.body);
    const cacheControl = url === '/v1/segments/geometry' ? 'private, max-age=86400' : 'private, no-cache';
    expect([plain.statusCode, plain.headers.etag, plain.headers['cache-control'], plain.headers.vary]).toEqual([200, `"${tag}"`, cacheControl, 'accept-encoding']);
    expect([zipped.statusCode, zipped.headers.etag, zipped.headers['cache-control'], zipped.headers.vary, zipped.headers['content-encoding']]).toEqual([200, `"${tag}-gzip"`, cacheControl, 'accept-encoding', 'gzip']);
    expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(plain.body);
  });

  it.each([
    // [Accept-Encoding, If-None-Match (TAG: the identity tag, GZ: the gzip one), status]
    [undefined, '"TAG"', 304],
    [undefined, 'W/"TAG"', 304],
    [undefined, '"other", "TAG"', 304],
    [undefined, '"other",W/"TAG" , "more"', 304],
    [undefined, '*', 304],
    [undefined, '"other"', 200],
    [undefined, 'TAG', 200],
    [undefined, '"GZ"', 200],
    ['gzip', '"GZ"', 304],
    ['gzip, deflate, br', 'W/"GZ"', 304],
    ['gzip', '"TAG", "GZ"', 304],
    ['gzip', '"TAG"', 200],
    ['gzip;q=0', '"TAG"', 304],
    ['br', '"TAG"', 304],
  ])('GET /v1/segments with Accept-Encoding %s and If-None-Match %s answers %i', async (acceptEncoding, ifNoneMatch, status) => {
    const api = await start();
    await api.store.applyScores([score('A13-S-001', 0)]);
    const tag = tagOf((await api.app.inject({ method: 'GET', url: '/v1/segments', headers: auth('viewer') })).body);
    const headers = { ...auth('viewer'), 'if-none-match': ifNoneMatch.replace(/TAG|GZ/g, (m) => (m === 'GZ' ? `${tag}-gzip` : tag)), ...(acceptEncoding && { 'accept-encoding': acceptEncoding }) };
    const res = await api.app.inject({ method: 'GET', url: '/v1/segments', headers });
    const gz = acceptEncoding?.startsWith('gzip,') || acceptEncoding === 'gzip';
    expect([res.statusCode, res.headers.etag, res.headers['cache-control'], res.headers.vary]).toEqual([status, `"${tag}${gz ? '-gzip' : ''}"`, 'private, no-cache', 'accept-encoding']);
    if (status === 304) expect([res.body, res.headers['content-type'], res.headers['content-encoding'], res.headers['content-length']]).toEqual(['', undefined, undefined, undefined]);
    else expect(res.headers['content-encoding']).toBe(gz ? 'gzip' : undefined);
  });

  it('GET /v1/segments: a browser\u2019s reload (Cache-Control: no-cache in the request) gets the body even with a current tag', async () => {
    const api = await start();
    const first = await api.app.inject({ method: 'GET', url: '/v1/segments', headers: auth('viewer') });
    const res = await api.app.inject({ method: 'GET', url: '/v1/segments', headers: { ...auth('viewer'), 'if-none-match': String(first.headers.etag), 'cache-control': 'no-cache' } });
    expect([res.statusCode, res.body]).toEqual([200, first.body]);
  });

  it('after scores changed: the live collections answer 200 with a new ETag to the old one, the geometry 304 with the same', async () => {
    const api = await start();
    const urls = ['/v1/segments', '/v1/segments/scores', '/v1/segments/geometry'];
    const get = (url: string, headers: Record<string, string> = {}) => api.app.inject({ method: 'GET', url, headers: { ...auth('viewer'), 'accept-encoding': 'gzip', ...headers } });
    const before = await Promise.all(urls.map((u) => get(u)));
    await api.store.applyScores([score('A13-S-002', 0, { level: 'severe' })]);
    api.scoresChanged();
    const after = await Promise.all(urls.map((u, i) => get(u, { 'if-none-match': String(before[i].headers.etag) })));
    expect(after.map((r) => r.statusCode)).toEqual([200, 200, 304]);
    expect(after.map((r, i) => r.headers.etag === before[i].headers.etag)).toEqual([false, false, true]);
    expect([after[0].headers.etag, after[1].headers.etag]).toEqual([`"${tagOf(gunzipSync(after[0].rawPayload).toString('utf8'))}-gzip"`, `"${tagOf(gunzipSync(after[1].rawPayload).toString('utf8'))}-gzip"`]);
    const again = await Promise.all(urls.map((u, i) => get(u, { 'if-none-match': String(after[i].headers.etag) })));
    expect(again.map((r) => r.statusCode)).toEqual([304, 304, 304]);
  });

  it('GET /v1/segments/geometry: the features without scores; /v1/segments/scores: the scored segments by id with the geometry\u2019s tag', async () => {
    const api = await start();
    await api.store.applyScores([score('A13-S-002', 0), score('A13-S-001', 1, { level: 'high' })]);
    const geometry = await api.app.inject({ method: 'GET', url: '/v1/segments/geometry', headers: auth('viewer') });
    const scores = await api.app.inject({ method: 'GET', url: '/v1/segments/scores', headers: auth('viewer') });
    const full = (await api.app.inject({ method: 'GET', url: '/v1/segments', headers: auth('viewer') })).json();
    const strip = (f: { properties: Record<string, unknown> }) => ({ ...f, properties: Object.fromEntries(Object.entries(f.properties).filter(([k]) => k !== 'score')) });
    expect(geometry.json()).toEqual({ type: 'FeatureCollection', features: full.features.map(strip) });
    const summary = (m: number, level: string) => ({ windowEndMs: T0 + m * MIN, risk: 0.001 * (m + 1), relativeRisk: 2 * (m + 1), level, factors: score('A13-S-001', m).factors, modelVersion: 'risk-test' });
    expect(scores.json()).toEqual({ networkVersion: tagOf(geometry.body), scores: { 'A13-S-001': summary(1, 'high'), 'A13-S-002': summary(0, 'elevated') } });
    expect(Object.keys(scores.json().scores)).toEqual(['A13-S-001', 'A13-S-002']);
  });

  it.each(['/v1/segments', '/v1/segments/geometry', '/v1/segments/scores'])('GET %s without a token: 401', async (url) => {
    const api = await start();
    expect((await api.app.inject({ method: 'GET', url })).statusCode).toBe(401);
  });

  it('GET /v1/segments/:id: latest score, the last minutes of scores and 1-minute stats oldest first, the nearest station', async () => {
    const api = await start();
    await api.store.applyScores([0, 1, 2, 3].map((m) => score('A13-S-001', m)));
    await api.store.applyStats([0, 1, 2, 3].map((m) => stats('A13-S-001', m)));
    const mid = api.geo.get('A13-S-001')?.mid ?? [0, 0];
    await api.store.applyWeather([weather('near', mid[0] + 0.01, mid[1], T0), weather('far', mid[0] + 2, mid[1], T0)]);
    const res = await api.app.inject({ method: 'GET', url: '/v1/segments/A13-S-001?minutes=2', headers: auth('viewer') });
    expect(res.statusCode).toBe(200);
    const b = res.json();
    expect(b.segment.properties.score.windowEndMs).toBe(T0 + 3 * MIN);
    expect(b.score.windowEndMs).toBe(T0 + 3 * MIN);
    expect(b.scores.map((s: { windowEndMs: number }) => s.windowEndMs)).toEqual([T0 + 2 * MIN, T0 + 3 * MIN]);
    expect(b.stats).toEqual([stats('A13-S-001', 2), stats('A13-S-001', 3)]);
    expect(b.weather).toMatchObject({ stationId: 'near', distanceKm: expect.closeTo(0.76, 1) });
  });

  it.each([
    ['/v1/segments/NOPE-1', 404, [{ field: 'segmentId', reason: 'unknown segment' }]],
    ["/v1/segments/A13'--", 400, [{ field: 'segmentId', reason: 'has a form this parameter does not take' }]],
    ['/v1/segments/A13-S-001?minutes=0', 400, [{ field: 'minutes', reason: 'must be >= 1' }]],
    ['/v1/segments/A13-S-001?minutes=1441', 400, [{ field: 'minutes', reason: 'must be <= 1440' }]],
    ['/v1/segments/A13-S-001?hours=1', 400, [{ field: 'hours', reason: 'is not a parameter of this route' }]],
  ])('GET %s answers %i naming the field', async (url, status, details) => {
    const api = await start();
    const res = await api.app.inject({ method: 'GET', url, headers: auth('viewer') });
    expect([res.statusCode, res.json().details]).toEqual([status, details]);
  });

  it('GET /v1/weather/stations: Points with each station\u2019s newest observation', async () => {
    const api = await start();
    await api.store.applyWeather([weather('W-1', 11.4, 47.2, T0), weather('W-1', 11.4, 47.2, T0 + MIN, { visibilityM: 300, elevationM: 600 })]);
    const res = await api.app.inject({ method: 'GET', url: '/v1/weather/stations', headers: auth('viewer') });
    expect(res.json()).toEqual({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', id: 'W-1', geometry: { type: 'Point', coordinates: [11.4, 47.2, 600] }, properties: weather('W-1', 11.4, 47.2, T0 + MIN, { visibilityM: 300, elevationM: 600 }) }],
    });
  });
});

describe('security and the service around the API', () => {
  it('sends security headers with a CSP that allows the page\u2019s own scripts only', async () => {
    const api = await start();
    const res = await api.app.inject({ method: 'GET', url: '/v1/me', headers: auth('viewer') });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
  });

  it('allows no cross-origin request by default, and the configured origins only', async () => {
    const closed = await start();
    const pre = await closed.app.inject({ method: 'OPTIONS', url: '/v1/alerts', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    const open = await start({ env: { ALERT_API_CORS_ORIGINS: 'https://tmc.example' } });
    const ok = await open.app.inject({ method: 'GET', url: '/v1/me', headers: { ...auth('viewer'), origin: 'https://tmc.example' } });
    expect(ok.headers['access-control-allow-origin']).toBe('https://tmc.example');
    const evil = await open.app.inject({ method: 'GET', url: '/v1/me', headers: { ...auth('viewer'), origin: 'https://evil.example' } });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('rate-limits each client with 429, never the health probes', async () => {
    const api = await start({ env: { ALERT_API_RATE_LIMIT_MAX: '3' } });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await api.app.inject({ method: 'GET', url: '/v1/me', headers: auth('viewer') })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    for (let i = 0; i < 5; i++) expect((await api.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('/healthz, /readyz (the database answers) and /metrics need no token', async () => {
    const api = await start();
    expect((await api.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await api.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
    expect((await api.app.inject({ method: 'GET', url: '/metrics' })).body).toContain('saferoads_http_request_duration_seconds');
  });

  it('publishes OpenAPI at /docs with a schema on every /v1 route', async () => {
    const api = await start();
    const doc = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
    // The ops endpoints are registered before swagger: they are documented in docs/operations.md.
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/v1/alerts',
      '/v1/alerts/{alertId}',
      '/v1/alerts/{alertId}/acknowledge',
      '/v1/alerts/{alertId}/resolve',
      '/v1/exports/cap',
      '/v1/exports/cap/{alertId}',
      '/v1/exports/datex',
      '/v1/keys',
      '/v1/keys/{keyId}',
      '/v1/me',
      '/v1/segments',
      '/v1/segments/geometry',
      '/v1/segments/scores',
      '/v1/segments/{segmentId}',
      '/v1/stream',
      '/v1/thresholds',
      '/v1/thresholds/history',
      '/v1/weather/stations',
    ]);
    expect(doc.paths['/v1/alerts'].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['bbox', 'cursor', 'from', 'level', 'limit', 'segmentId', 'status', 'to']);
    for (const path of ['/v1/segments', '/v1/segments/geometry', '/v1/segments/scores']) {
      const get = doc.paths[path].get;
      expect([Object.keys(get.responses).sort(), get.parameters.map((p: { in: string; name: string }) => `${p.in} ${p.name}`).sort()]).toEqual([
        ['200', '304', '401'],
        ['header accept-encoding', 'header if-none-match'],
      ]);
    }
    expect(Object.keys(doc.paths['/v1/segments/scores'].get.responses['200'].content['application/json'].schema.properties)).toEqual(['networkVersion', 'scores']);
    expect((await api.app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });

  it('serves the dashboard directory at / when it exists', async () => {
    const api = await start({ env: { ALERT_API_DASHBOARD_DIR: dist } });
    const res = await api.app.inject({ method: 'GET', url: '/' });
    expect([res.statusCode, res.body]).toEqual([200, '<!doctype html><title>Saferoads</title><script src="app.js"></script>']);
    const none = await start();
    expect((await none.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(404);
  });
});

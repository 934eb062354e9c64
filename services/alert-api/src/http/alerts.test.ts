import { describe, expect, it } from 'vitest';
import { ALERT_A, ALERT_B, ALERT_C, MIN, T0, alertEvent } from '../testing/fixtures.js';
import { auth, metricValue, testApiPerTest, type TestApi } from '../testing/harness.js';

const start = testApiPerTest();
const NOW = T0 + 30 * MIN;

/** Three alerts on the bundled network: A and B raised at T0 (B severe), C a minute later. */
async function seed(api: TestApi): Promise<void> {
  await api.store.applyAlertEvents(
    [
      alertEvent(ALERT_A, 'A13-S-001', 0, 'raised', 'high', { raisedAtMs: T0, windowEndMs: T0 }),
      alertEvent(ALERT_B, 'A13-N-001', 0, 'raised', 'severe', { raisedAtMs: T0, windowEndMs: T0 }),
      alertEvent(ALERT_C, 'A13-S-010', 0, 'raised', 'high', { raisedAtMs: T0 + MIN, windowEndMs: T0 + MIN }),
    ],
    (id) => api.geo.get(id),
  );
}

const ids = (body: { alerts: { alertId: string }[] }) => body.alerts.map((a) => a.alertId);

describe('GET /v1/alerts', () => {
  it('lists alerts newest first, then most severe, in the documented shape', async () => {
    const api = await start({ now: () => NOW });
    await seed(api);
    const res = await api.app.inject({ method: 'GET', url: '/v1/alerts', headers: auth('viewer') });
    expect(res.statusCode).toBe(200);
    expect(ids(res.json())).toEqual([ALERT_C, ALERT_B, ALERT_A]);
    expect(res.json().nextCursor).toBeNull();
    const a = res.json().alerts[2];
    expect(a).toEqual({
      alertId: ALERT_A,
      segmentId: 'A13-S-001',
      status: 'open',
      scorerState: 'active',
      level: 'high',
      peakLevel: 'high',
      raisedAtMs: T0,
      updatedAtMs: T0,
      clearedAtMs: null,
      lastEvent: 'raised',
      lastSeq: 0,
      risk: 0.01,
      relativeRisk: 4,
      factors: [{ name: 'precipitation', share: 1 }],
      modelVersion: 'risk-test',
      acknowledged: null,
      resolved: null,
      position: api.geo.get('A13-S-001')?.mid,
    });
  });

  it.each([
    ['status=open', [ALERT_C, ALERT_B, ALERT_A]],
    ['status=acknowledged', []],
    ['level=severe', [ALERT_B]],
    ['level=high,severe&status=open', [ALERT_C, ALERT_B, ALERT_A]],
    [`from=${T0 + MIN}`, [ALERT_C]],
    [`to=${new Date(T0 + MIN).toISOString()}`, [ALERT_B, ALERT_A]],
    ['segmentId=A13-S-010', [ALERT_C]],
    ['bbox=0,0,1,1', []],
  ])('filters: ?%s', async (query, want) => {
    const api = await start();
    await seed(api);
    const res = await api.app.inject({ method: 'GET', url: `/v1/alerts?${query}`, headers: auth('viewer') });
    expect([res.statusCode, ids(res.json())]).toEqual([200, want]);
  });

  it('a bounding box around one segment finds its alert', async () => {
    const api = await start();
    await seed(api);
    const [minLon, minLat, maxLon, maxLat] = api.geo.get('A13-N-001')?.bbox ?? [];
    const res = await api.app.inject({ method: 'GET', url: `/v1/alerts?bbox=${minLon},${minLat},${maxLon},${maxLat}`, headers: auth('viewer') });
    expect(ids(res.json())).toContain(ALERT_B);
  });

  it('pages with nextCursor until it is null', async () => {
    const api = await start();
    await seed(api);
    const seen: string[] = [];
    let url = '/v1/alerts?limit=2';
    for (let page = 0; page < 3; page++) {
      const body = (await api.app.inject({ method: 'GET', url, headers: auth('viewer') })).json();
      seen.push(...ids(body));
      if (body.nextCursor === null) break;
      url = `/v1/alerts?limit=2&cursor=${body.nextCursor}`;
    }
    expect(seen).toEqual([ALERT_C, ALERT_B, ALERT_A]);
  });

  it.each([
    ['status=closed', 'status', 'has a form this parameter does not take'],
    ["status=open';DROP TABLE alerts;--", 'status', 'has a form this parameter does not take'],
    ['level=high%27%20OR%201=1', 'level', 'has a form this parameter does not take'],
    ['segmentId=x%27%3B%20DELETE%20FROM%20alerts%3B--', 'segmentId', 'has a form this parameter does not take'],
    ['limit=0', 'limit', 'must be >= 1'],
    ['limit=501', 'limit', 'must be <= 500'],
    ['limit=ten', 'limit', 'must be integer'],
    ['from=yesterday', 'from', 'has a form this parameter does not take'],
    ['from=2026-02-30T00:00:00Z', 'from', 'is not a time: "2026-02-30T00:00:00Z"'],
    [`from=${T0}&to=${T0}`, 'to', 'must be after from'],
    ['bbox=1,2,3', 'bbox', 'has a form this parameter does not take'],
    ['bbox=200,0,201,1', 'bbox', 'longitudes must be within -180..180'],
    ['bbox=11,48,10,47', 'bbox', 'must be minLon,minLat,maxLon,maxLat with min <= max'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor', 'is not a cursor this API gave out'],
    ['sort=level', 'sort', 'is not a parameter of this route'],
  ])('refuses ?%s with 400 naming %s', async (query, field, reason) => {
    const api = await start();
    await seed(api);
    const res = await api.app.inject({ method: 'GET', url: `/v1/alerts?${query}`, headers: auth('viewer') });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ field, reason }]);
    // The table is intact, whatever the parameter held.
    expect(await api.db.query<{ n: number }>('SELECT count(*)::int AS n FROM alerts')).toEqual([{ n: 3 }]);
  });
});

describe('one alert, acknowledge and resolve', () => {
  it('an operator acknowledges with a note, then resolves; each is in the audit trail and on the stream', async () => {
    const api = await start({ now: () => NOW });
    await seed(api);
    const streamed: string[] = [];
    api.hub.subscribe((e) => streamed.push(e.frame));
    const ack = await api.app.inject({ method: 'POST', url: `/v1/alerts/${ALERT_A}/acknowledge`, headers: auth('operator'), payload: { note: 'crew informed' } });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ alertId: ALERT_A, status: 'acknowledged', acknowledged: { actor: 'bootstrap-operator', role: 'operator', atMs: NOW, note: 'crew informed' } });
    const again = await api.app.inject({ method: 'POST', url: `/v1/alerts/${ALERT_A}/acknowledge`, headers: auth('operator') });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ statusCode: 409, error: 'Conflict', message: `alert ${ALERT_A} is acknowledged: only an open alert can be acknowledged`, alert: { status: 'acknowledged' } });
    const res = await api.app.inject({ method: 'POST', url: `/v1/alerts/${ALERT_A}/resolve`, headers: auth('admin'), payload: {} });
    expect([res.statusCode, res.json().status, res.json().resolved]).toEqual([200, 'resolved', { actor: 'bootstrap-admin', role: 'admin', atMs: NOW, note: null }]);
    expect((await api.app.inject({ method: 'POST', url: `/v1/alerts/${ALERT_A}/resolve`, headers: auth('operator') })).statusCode).toBe(409);

    const detail = await api.app.inject({ method: 'GET', url: `/v1/alerts/${ALERT_A}`, headers: auth('viewer') });
    expect(detail.json().audit).toEqual([
      { action: 'raised', actor: 'risk-scorer', role: 'system', atMs: T0, note: null },
      { action: 'acknowledged', actor: 'bootstrap-operator', role: 'operator', atMs: NOW, note: 'crew informed' },
      { action: 'resolved', actor: 'bootstrap-admin', role: 'admin', atMs: NOW, note: null },
    ]);
    expect(streamed.map((f) => JSON.parse(f.split('data: ')[1]).status)).toEqual(['acknowledged', 'resolved']);
    expect(await metricValue(api.app, 'saferoads_alert_api_actions_total', { action: 'acknowledge', outcome: 'conflict' })).toBe(1);
  });

  it.each([
    ['GET', '/v1/alerts/not-a-uuid', undefined, 400, [{ field: 'alertId', reason: 'has a form this parameter does not take' }]],
    ['GET', `/v1/alerts/${ALERT_C.replace('2d', '9d')}`, undefined, 404, [{ field: 'alertId', reason: 'unknown alert' }]],
    ['POST', `/v1/alerts/${ALERT_A}/acknowledge`, { note: 'x'.repeat(2001) }, 400, [{ field: 'note', reason: 'must NOT have more than 2000 characters' }]],
    ['POST', `/v1/alerts/${ALERT_A}/acknowledge`, { note: 5 }, 400, [{ field: 'note', reason: 'must be string' }]],
    ['POST', `/v1/alerts/${ALERT_A}/acknowledge`, { comment: 'hi' }, 400, [{ field: 'comment', reason: 'is not a parameter of this route' }]],
  ])('%s %s with %j answers %i naming the field', async (method, url, payload, status, details) => {
    const api = await start();
    await seed(api);
    const res = await api.app.inject({ method: method as 'GET' | 'POST', url, headers: auth('operator'), ...(payload !== undefined && { payload }) });
    expect([res.statusCode, res.json().details]).toEqual([status, details]);
  });

  it('refuses an oversized body with 413 and a body that is not JSON with 400 or 415', async () => {
    const api = await start({ env: { ALERT_API_BODY_LIMIT_BYTES: '1024' } });
    await seed(api);
    const url = `/v1/alerts/${ALERT_A}/acknowledge`;
    const big = await api.app.inject({ method: 'POST', url, headers: { ...auth('operator'), 'content-type': 'application/json' }, payload: JSON.stringify({ note: 'x'.repeat(2000) }) });
    expect([big.statusCode, big.json().details]).toEqual([413, [{ field: '(body)', reason: 'larger than 1024 bytes' }]]);
    const broken = await api.app.inject({ method: 'POST', url, headers: { ...auth('operator'), 'content-type': 'application/json' }, payload: '{"note": ' });
    expect([broken.statusCode, broken.json().details]).toEqual([400, [{ field: '(body)', reason: 'is not valid JSON' }]]);
    const text = await api.app.inject({ method: 'POST', url, headers: { ...auth('operator'), 'content-type': 'text/plain' }, payload: 'ack' });
    expect([text.statusCode, text.json().details]).toEqual([415, [{ field: 'content-type', reason: 'must be application/json' }]]);
    expect((await api.store.getAlert(ALERT_A))?.status).toBe('open');
  });

  it('404 for acknowledging an unknown alert', async () => {
    const api = await start();
    const res = await api.app.inject({ method: 'POST', url: `/v1/alerts/${ALERT_A}/acknowledge`, headers: auth('operator') });
    expect([res.statusCode, res.json().message]).toEqual([404, `no alert ${ALERT_A}`]);
  });
});

import { describe, expect, it } from 'vitest';
import type { RiskThresholds } from '@saferoads/shared/contracts';
import { TOPICS } from '@saferoads/shared/topics';
import { MIN, T0, thresholds } from '../testing/fixtures.js';
import { auth, metricValue, testApiPerTest, type TestApi, type TestApiOptions } from '../testing/harness.js';

const start = testApiPerTest();
/** The wall clock of every test: 12.345 s into a minute. */
const NOW = T0 + 30 * MIN + 12_345;
const NEXT_MINUTE = T0 + 31 * MIN;
const at = (o: TestApiOptions = {}) => start({ now: () => NOW, ...o });

const put = (api: TestApi, body: unknown, headers: Record<string, string> = { ...auth('admin'), 'if-match': '"0"' }) =>
  api.app.inject({ method: 'PUT', url: '/v1/thresholds', headers: { 'content-type': 'application/json', ...headers }, payload: typeof body === 'string' ? body : JSON.stringify(body) });
const body = (over: Record<string, unknown> = {}) => ({ thresholds: thresholds(2.5), note: 'fewer elevated minutes on the A13', ...over });
/** The record risk.thresholds holds now (a table: compacted, one key). */
const published = async (api: TestApi) => {
  const r = await api.bus.tableReader(TOPICS.thresholds).latest(0);
  return r === null ? null : { key: r.key, timestamp: r.timestamp, value: JSON.parse(r.value) as Record<string, unknown> };
};
const actions = (api: TestApi, outcome: string) => metricValue(api.app, 'saferoads_alert_api_actions_total', { action: 'set_thresholds', outcome });

/** What the API answers for a version set by the bootstrap admin at NOW. */
const version = (v: number, t: RiskThresholds, effectiveFromMs: number, note: string, publishedAtMs: number | null = NOW) => ({
  version: v,
  effectiveFromMs,
  thresholds: t,
  setBy: 'bootstrap-admin',
  setByRole: 'admin',
  setAtMs: NOW,
  note,
  publishedAtMs,
});

describe('PUT /v1/thresholds', () => {
  it('sets the first version from the next minute boundary: stored, audited with old and new values, published on risk.thresholds, counted', async () => {
    const api = await at();
    const res = await put(api, body());
    expect([res.statusCode, res.headers.etag]).toEqual([200, '"1"']);
    expect(res.json()).toEqual(version(1, thresholds(2.5), NEXT_MINUTE, 'fewer elevated minutes on the A13'));
    expect(await published(api)).toEqual({
      key: 'global',
      timestamp: NOW,
      value: { version: 1, effectiveFromMs: NEXT_MINUTE, thresholds: thresholds(2.5), setBy: 'bootstrap-admin', setAtMs: NOW, note: 'fewer elevated minutes on the A13', earlier: [] },
    });
    expect(await api.db.query("SELECT at_ms, actor, role, action, target_type, target_id, note, old_value, new_value FROM audit_log WHERE target_type = 'thresholds'")).toEqual([
      {
        at_ms: NOW,
        actor: 'bootstrap-admin',
        role: 'admin',
        action: 'thresholds_set',
        target_type: 'thresholds',
        target_id: '1',
        note: 'fewer elevated minutes on the A13',
        old_value: null,
        new_value: { version: 1, effectiveFromMs: NEXT_MINUTE, thresholds: thresholds(2.5) },
      },
    ]);
    expect(await actions(api, 'ok')).toBe(1);
  });

  it('replaces the version in If-Match or expectedVersion; the record carries the earlier version still to apply', async () => {
    const api = await at();
    await put(api, body({ effectiveFromMs: T0 + 32 * MIN }));
    const res = await put(api, { ...body({ thresholds: thresholds(3), note: 'winter' }), expectedVersion: 1 }, auth('admin'));
    expect([res.statusCode, res.headers.etag, res.json()]).toEqual([200, '"2"', version(2, thresholds(3), NEXT_MINUTE, 'winter')]);
    // Version 2 applies from minute 31, before version 1 would have: version 1 never applies, and is left out.
    expect((await published(api))?.value).toMatchObject({ version: 2, earlier: [] });
    const third = await put(api, body({ thresholds: thresholds(2), note: 'back', effectiveFromMs: T0 + 40 * MIN }), { ...auth('admin'), 'if-match': '"2"' });
    expect(third.statusCode).toBe(200);
    expect((await published(api))?.value).toMatchObject({ version: 3, effectiveFromMs: T0 + 40 * MIN, earlier: [{ version: 2, effectiveFromMs: NEXT_MINUTE, thresholds: thresholds(3) }] });
    const audit = await api.db.query<{ old_value: { version: number }; new_value: { version: number } }>("SELECT old_value, new_value FROM audit_log WHERE target_type = 'thresholds' ORDER BY id");
    expect(audit.map((a) => [a.old_value?.version ?? null, a.new_value.version])).toEqual([
      [null, 1],
      [1, 2],
      [2, 3],
    ]);
  });

  it('refuses a stale version with 409 and the newest version, so two admins cannot silently overwrite each other', async () => {
    const api = await at();
    expect((await put(api, body())).statusCode).toBe(200);
    const res = await put(api, body({ thresholds: thresholds(3), note: 'from an old page' }));
    expect([res.statusCode, res.headers.etag]).toEqual([409, '"1"']);
    expect(res.json()).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'thresholds version 1 is the newest, not 0: someone else set them since; read them again and send If-Match: "1"',
      current: version(1, thresholds(2.5), NEXT_MINUTE, 'fewer elevated minutes on the A13'),
    });
    expect((await api.store.thresholdsHistory(10)).map((v) => v.version)).toEqual([1]);
    expect(await actions(api, 'conflict')).toBe(1);
  });

  it.each<[string, Record<string, string>, number, string]>([
    ['an operator', auth('operator'), 403, 'forbidden'],
    ['a viewer', auth('viewer'), 403, 'forbidden'],
    ['no credentials', {}, 401, 'missing'],
  ])('refuses %s, counted, and stores nothing', async (_who, headers, status, reason) => {
    const api = await at();
    const res = await put(api, body(), { ...headers, 'if-match': '"0"' });
    expect(res.statusCode).toBe(status);
    expect(await metricValue(api.app, 'saferoads_alert_api_auth_failures_total', { reason })).toBe(1);
    expect(await metricValue(api.app, 'saferoads_http_request_duration_seconds_count', { method: 'PUT', route: '/v1/thresholds', status_code: String(status) })).toBe(1);
    expect([await api.store.latestThresholds(), await published(api)]).toEqual([null, null]);
  });

  const t = thresholds(2);
  it.each<[string, unknown, Record<string, string> | undefined, { field: string; reason: string }[]]>([
    ['a body that is not JSON', '{"note": ', undefined, [{ field: '(body)', reason: 'is not valid JSON' }]],
    ['no note', { thresholds: t }, undefined, [{ field: 'note', reason: 'is required' }]],
    ['a blank note', body({ note: '   ' }), undefined, [{ field: 'note', reason: 'must not be blank: say why the thresholds change' }]],
    ['a note too long', body({ note: 'x'.repeat(1001) }), undefined, [{ field: 'note', reason: 'must NOT have more than 1000 characters' }]],
    ['a cut point as text', body({ thresholds: { ...t, levels: { ...t.levels, high: '3.5' } } }), undefined, [{ field: 'thresholds.levels.high', reason: 'must be number' }]],
    ['a missing alert setting', body({ thresholds: { ...t, alerts: { ...t.alerts, resolveAfterMinutes: undefined } } }), undefined, [{ field: 'thresholds.alerts.resolveAfterMinutes', reason: 'is required' }]],
    ['a zero minute count', body({ thresholds: { ...t, alerts: { ...t.alerts, raiseAfterMinutes: 0 } } }), undefined, [{ field: 'thresholds.alerts.raiseAfterMinutes', reason: 'must be >= 1' }]],
    ['an unknown level', body({ thresholds: { ...t, alerts: { ...t.alerts, raiseLevel: 'low' } } }), undefined, [{ field: 'thresholds.alerts.raiseLevel', reason: 'must be one of "elevated", "high", "severe"' }]],
    ['an unknown field', body({ thresholds: { ...t, factorsMinLevel: 'high' } }), undefined, [{ field: 'thresholds.factorsMinLevel', reason: 'is not a parameter of this route' }]],
    ['cut points out of order', body({ thresholds: { ...t, levels: { elevated: 4, high: 3.5, severe: 6 } } }), undefined, [{ field: 'thresholds.levels.high', reason: 'must be above thresholds.levels.elevated (4), got 3.5' }]],
    [
      'a probability above 1',
      body({ thresholds: { ...t, levelBasis: 'risk', levels: { elevated: 0.2, high: 0.5, severe: 1.5 } } }),
      undefined,
      [{ field: 'thresholds.levels.severe', reason: 'must be <= 1 with thresholds.levelBasis "risk" (a probability), got 1.5' }],
    ],
    [
      'clearBelow above raiseLevel',
      body({ thresholds: { ...t, alerts: { ...t.alerts, raiseLevel: 'elevated', clearBelow: 'high' } } }),
      undefined,
      [{ field: 'thresholds.alerts.clearBelow', reason: 'must not be above thresholds.alerts.raiseLevel ("elevated"), got "high" (a minute could raise an alert and count towards resolving it)' }],
    ],
    ['an effective time off the minute', body({ effectiveFromMs: NEXT_MINUTE + 1 }), undefined, [{ field: 'effectiveFromMs', reason: 'must be multiple of 60000' }]],
    ['an effective time in the past', body({ effectiveFromMs: T0 + 30 * MIN }), undefined, [{ field: 'effectiveFromMs', reason: 'must not be before now (2026-03-10T07:30:12.345Z): minutes already scored keep their thresholds' }]],
    ['an effective time in seconds', body({ effectiveFromMs: NEXT_MINUTE * 1000 }), undefined, [{ field: 'effectiveFromMs', reason: 'must be within 366 days of now (2026-03-10T07:30:12.345Z)' }]],
    ['an If-Match that is no version', body(), { ...auth('admin'), 'if-match': 'W/"1"' }, [{ field: 'if-match', reason: 'has a form this parameter does not take' }]],
    ['If-Match and expectedVersion that differ', body({ expectedVersion: 3 }), undefined, [{ field: 'expectedVersion', reason: 'is 3, If-Match says 0' }]],
  ])('400 for %s, naming the field and the reason', async (_what, payload, headers, details) => {
    const api = await at();
    const res = await put(api, payload, headers);
    expect([res.statusCode, res.json().details]).toEqual([400, details]);
    expect(await metricValue(api.app, 'saferoads_http_request_duration_seconds_count', { method: 'PUT', route: '/v1/thresholds', status_code: '400' })).toBe(1);
    expect(await api.store.latestThresholds()).toBeNull();
  });

  it('413 for a body over the limit, 415 for one that is not JSON, 428 without a version to replace', async () => {
    const api = await at();
    const big = await put(api, body({ note: 'x'.repeat(20_000) }));
    expect([big.statusCode, big.json().details]).toEqual([413, [{ field: '(body)', reason: 'larger than 16384 bytes' }]]);
    const text = await api.app.inject({ method: 'PUT', url: '/v1/thresholds', headers: { ...auth('admin'), 'content-type': 'text/plain', 'if-match': '"0"' }, payload: 'elevated=2' });
    expect(text.statusCode).toBe(415);
    const blind = await put(api, body(), auth('admin'));
    expect([blind.statusCode, blind.json().details]).toEqual([428, [{ field: 'if-match', reason: 'is required (or expectedVersion)' }]]);
  });

  it('takes the event clock for the default effective time, and an explicit minute boundary as given', async () => {
    const eventNow = T0 - 24 * 60 * MIN + 5_000; // npm start replaying yesterday
    const api = await at({ eventNow: () => eventNow });
    const first = await put(api, body());
    expect(first.json().effectiveFromMs).toBe(T0 - 24 * 60 * MIN + MIN);
    const second = await put(api, body({ effectiveFromMs: T0 }), { ...auth('admin'), 'if-match': '"1"' });
    expect([second.statusCode, second.json().effectiveFromMs]).toEqual([200, T0]);
  });

  it('answers 202 when the version is stored but the bus is away, and publishes it once the bus is back', async () => {
    let busUp = false;
    const sent: string[] = [];
    const api = await at({
      thresholdsSink: async (r) => {
        if (!busUp) throw new Error('broker not available');
        sent.push(r.value);
      },
    });
    const res = await put(api, body());
    expect([res.statusCode, res.json()]).toEqual([202, version(1, thresholds(2.5), NEXT_MINUTE, 'fewer elevated minutes on the A13', null)]);
    expect(await actions(api, 'unpublished')).toBe(1);
    busUp = true;
    expect(await api.thresholds.flush()).toBe(1);
    expect(await api.thresholds.flush()).toBeNull();
    expect(sent.map((v) => JSON.parse(v).version)).toEqual([1]);
    expect((await api.store.latestThresholds())?.publishedAtMs).toBe(NOW);
  });
});

describe('GET /v1/thresholds and /v1/thresholds/history', () => {
  it('404 with ETag "0" while none is set; then the newest version for a viewer, ETag its number', async () => {
    const api = await at();
    const none = await api.app.inject({ method: 'GET', url: '/v1/thresholds', headers: auth('viewer') });
    expect([none.statusCode, none.headers.etag, none.json().message]).toEqual([
      404,
      '"0"',
      'no thresholds set yet: the scorers apply their configured defaults (RISK_LEVEL_*, RISK_ALERT_*); PUT /v1/thresholds with If-Match: "0" sets the first version',
    ]);
    await put(api, body());
    const res = await api.app.inject({ method: 'GET', url: '/v1/thresholds', headers: auth('viewer') });
    expect([res.statusCode, res.headers.etag, res.json()]).toEqual([200, '"1"', version(1, thresholds(2.5), NEXT_MINUTE, 'fewer elevated minutes on the A13')]);
    expect((await api.app.inject({ method: 'GET', url: '/v1/thresholds' })).statusCode).toBe(401);
  });

  it('pages the history newest first', async () => {
    const api = await at();
    for (let v = 0; v < 3; v++) await put(api, body({ note: `v${v + 1}` }), { ...auth('admin'), 'if-match': `"${v}"` });
    const first = await api.app.inject({ method: 'GET', url: '/v1/thresholds/history?limit=2', headers: auth('viewer') });
    expect([first.json().versions.map((v: { note: string }) => v.note), first.json().nextBefore]).toEqual([['v3', 'v2'], 2]);
    const second = await api.app.inject({ method: 'GET', url: '/v1/thresholds/history?limit=2&before=2', headers: auth('viewer') });
    expect([second.json().versions.map((v: { note: string }) => v.note), second.json().nextBefore]).toEqual([['v1'], null]);
    const bad = await api.app.inject({ method: 'GET', url: '/v1/thresholds/history?limit=500', headers: auth('viewer') });
    expect([bad.statusCode, bad.json().details]).toEqual([400, [{ field: 'limit', reason: 'must be <= 200' }]]);
  });

  it('documents every thresholds route in OpenAPI, with its body, headers and answers', async () => {
    const api = await at();
    const doc = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const putOp = doc.paths['/v1/thresholds'].put;
    expect(Object.keys(putOp.responses).sort()).toEqual(['200', '202', '400', '401', '403', '409', '413', '415', '428']);
    expect(putOp.parameters.map((p: { in: string; name: string }) => `${p.in} ${p.name}`)).toEqual(['header if-match']);
    expect(Object.keys(putOp.requestBody.content['application/json'].schema.properties).sort()).toEqual(['effectiveFromMs', 'expectedVersion', 'note', 'thresholds']);
    expect(Object.keys(doc.paths['/v1/thresholds'].get.responses).sort()).toEqual(['200', '400', '401', '403', '404']);
    expect(doc.paths['/v1/thresholds/history'].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['before', 'limit']);
  });
});

import { createSigner } from 'fast-jwt';
import { describe, expect, it } from 'vitest';
import { JWT_SECRET, KEYS, auth, metricValue, testApiPerTest } from '../testing/harness.js';

const start = testApiPerTest();
const sign = (claims: Record<string, unknown>, key = JWT_SECRET, expiresIn?: number) => createSigner({ key, algorithm: 'HS256', ...(expiresIn !== undefined && { expiresIn }) })(claims);

describe('authentication and roles', () => {
  it.each([
    ['admin', 'bootstrap-admin'],
    ['operator', 'bootstrap-operator'],
    ['viewer', 'bootstrap-viewer'],
  ] as const)('GET /v1/me with the %s key answers its subject and role', async (role, subject) => {
    const { app } = await start();
    const res = await app.inject({ method: 'GET', url: '/v1/me', headers: auth(role) });
    expect([res.statusCode, res.json()]).toEqual([200, { subject, role, via: 'apiKey' }]);
  });

  it('GET /v1/me with an HS256 JWT answers its sub and role', async () => {
    const { app } = await start();
    const res = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${sign({ sub: 'jane@tmc', role: 'operator' }, JWT_SECRET, 60_000)}` } });
    expect([res.statusCode, res.json()]).toEqual([200, { subject: 'jane@tmc', role: 'operator', via: 'jwt' }]);
  });

  it.each([
    ['no Authorization header', {}, 'authentication required: send Authorization: Bearer <API key or JWT>', 'missing'],
    ['a Basic header', { authorization: 'Basic dXNlcjpwYXNz' }, 'the Authorization header must be "Bearer <token>"', 'malformed'],
    ['an unknown key', { authorization: `Bearer srk_nobodynobody_${'x'.repeat(43)}` }, 'unknown API key', 'unknown_key'],
    ['a JWT signed with another secret', { authorization: `Bearer ${sign({ sub: 'eve', role: 'admin' }, 'another-secret-of-at-least-32-characters')}` }, /^invalid JWT: /, 'bad_jwt'],
    ['a JWT with an unknown role', { authorization: `Bearer ${sign({ sub: 'eve', role: 'root' })}` }, 'invalid JWT: role must be one of viewer, operator, admin', 'bad_jwt'],
    ['a JWT without sub', { authorization: `Bearer ${sign({ role: 'admin' })}` }, /^invalid JWT: .*sub/, 'bad_jwt'],
    ['a JWT with alg none', { authorization: `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"eve","role":"admin"}').toString('base64url')}.x` }, /^invalid JWT: /, 'bad_jwt'],
  ])('refuses %s with 401 and a Bearer challenge', async (_what, headers, message, reason) => {
    const { app } = await start();
    const res = await app.inject({ method: 'GET', url: '/v1/alerts', headers });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="saferoads"/);
    expect(res.json().message).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
    expect(await metricValue(app, 'saferoads_alert_api_auth_failures_total', { reason })).toBe(1);
  });

  it('refuses an expired JWT', async () => {
    const { app } = await start();
    const token = createSigner({ key: JWT_SECRET, algorithm: 'HS256' })({ sub: 'jane', role: 'viewer', exp: Math.floor(Date.now() / 1000) - 60 });
    const res = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect([res.statusCode, res.json().message]).toEqual([401, expect.stringMatching(/^invalid JWT: .*expired/)]);
  });

  it('takes no JWT when no secret is configured', async () => {
    const { app } = await start({ env: { ALERT_API_JWT_SECRET: '' } });
    const res = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${sign({ sub: 'jane', role: 'admin' })}` } });
    expect([res.statusCode, res.json().message]).toEqual([401, 'JWTs are not accepted here (no ALERT_API_JWT_SECRET configured)']);
  });

  it.each([
    ['viewer', 'POST', '/v1/alerts/0b5f3c2e-1d4a-8e6f-9a7b-1c2d3e4f5a6b/acknowledge', 'operator'],
    ['viewer', 'POST', '/v1/alerts/0b5f3c2e-1d4a-8e6f-9a7b-1c2d3e4f5a6b/resolve', 'operator'],
    ['operator', 'GET', '/v1/keys', 'admin'],
    ['operator', 'POST', '/v1/keys', 'admin'],
    ['viewer', 'DELETE', '/v1/keys/abc', 'admin'],
  ] as const)('a %s gets 403 for %s %s (needs %s)', async (role, method, url, need) => {
    const { app } = await start();
    const res = await app.inject({ method, url, headers: auth(role), payload: {} });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(new RegExp(`has role ${role}; ${method} .* needs ${need}$`));
  });

  it('the query token works on the stream only', async () => {
    const { app } = await start();
    const res = await app.inject({ method: 'GET', url: `/v1/me?access_token=${KEYS.admin}` });
    expect(res.statusCode).toBe(401);
  });

  it('an admin creates a key that works at once, lists it without the key, and revokes it (audited)', async () => {
    const { app, db } = await start();
    const created = await app.inject({ method: 'POST', url: '/v1/keys', headers: auth('admin'), payload: { name: 'wall screen 3', role: 'viewer' } });
    expect(created.statusCode).toBe(201);
    const k = created.json();
    expect(k).toMatchObject({ name: 'wall screen 3', role: 'viewer', createdBy: 'bootstrap-admin', revokedAtMs: null });
    expect(k.key).toMatch(new RegExp(`^srk_${k.keyId}_[A-Za-z0-9_-]{43}$`));
    const me = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${k.key}` } });
    expect(me.json()).toEqual({ subject: 'wall screen 3', role: 'viewer', via: 'apiKey' });
    const list = await app.inject({ method: 'GET', url: '/v1/keys', headers: auth('admin') });
    expect(list.json().keys.map((x: { name: string }) => x.name)).toEqual(['bootstrap-admin', 'bootstrap-operator', 'bootstrap-viewer', 'wall screen 3']);
    expect(list.body).not.toContain(k.key);
    expect(list.body).not.toContain('keyHash');
    const revoked = await app.inject({ method: 'DELETE', url: `/v1/keys/${k.keyId}`, headers: auth('admin') });
    expect([revoked.statusCode, revoked.json().revokedAtMs]).toEqual([200, expect.any(Number)]);
    const after = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${k.key}` } });
    expect([after.statusCode, after.json().message]).toEqual([401, `API key ${k.keyId} was revoked`]);
    expect(await db.query("SELECT action, actor, target_id FROM audit_log WHERE target_type = 'api_key' AND target_id = $1 ORDER BY id", [k.keyId])).toEqual([
      { action: 'key_created', actor: 'bootstrap-admin', target_id: k.keyId },
      { action: 'key_revoked', actor: 'bootstrap-admin', target_id: k.keyId },
    ]);
    expect((await app.inject({ method: 'DELETE', url: '/v1/keys/nope', headers: auth('admin') })).statusCode).toBe(404);
  });

  it('refuses a key request with a bad role or name, naming the field', async () => {
    const { app } = await start();
    const res = await app.inject({ method: 'POST', url: '/v1/keys', headers: auth('admin'), payload: { name: '<script>', role: 'root' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([
      { field: 'name', reason: 'has a form this parameter does not take' },
      { field: 'role', reason: 'must be one of "viewer", "operator", "admin"' },
    ]);
  });
});

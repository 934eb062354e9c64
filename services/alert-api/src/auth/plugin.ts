import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '@saferoads/shared/service';
import type { Role } from '../http/schemas.js';
import type { AlertApiMetrics } from '../metrics.js';
import { roleAllows, type Authenticator, type Principal } from './authenticator.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking, once the route's role check has passed; null on open routes. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** The least role the route needs; routes without one are open (ops, docs, dashboard). */
    role?: Role;
    /** The route also takes the token as `?access_token=` (the SSE stream: EventSource cannot set headers). */
    queryToken?: boolean;
  }
}

const CHALLENGE = 'Bearer realm="saferoads"';

function tokenOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!m) throw new HttpError(401, 'the Authorization header must be "Bearer <token>"', { details: [{ field: 'authorization', reason: 'must be Bearer <token>' }], headers: { 'www-authenticate': CHALLENGE } });
    return m[1];
  }
  if (request.routeOptions.config.queryToken) {
    const q = (request.query ?? {}) as Record<string, unknown>;
    if (typeof q.access_token === 'string' && q.access_token !== '') return q.access_token;
  }
  return null;
}

/**
 * Authentication and authorisation of every route that names a `role` in its config: a missing or
 * bad token is 401 (with a Bearer challenge), a role below the route's is 403. Runs in onRequest,
 * before the body is read, so nothing of an unauthenticated request is parsed.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, opts: { authenticator: Authenticator; metrics: AlertApiMetrics }) => {
    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (request) => {
      const need = request.routeOptions.config.role;
      if (!need) return;
      let token: string | null;
      try {
        token = tokenOf(request);
      } catch (err) {
        opts.metrics.authFailures.inc({ reason: 'malformed' });
        throw err;
      }
      if (token === null) {
        opts.metrics.authFailures.inc({ reason: 'missing' });
        throw new HttpError(401, 'authentication required: send Authorization: Bearer <API key or JWT>', { headers: { 'www-authenticate': CHALLENGE } });
      }
      const r = await opts.authenticator.authenticate(token);
      if (!r.ok) {
        opts.metrics.authFailures.inc({ reason: r.code });
        throw new HttpError(401, r.reason, { headers: { 'www-authenticate': `${CHALLENGE}, error="invalid_token"` } });
      }
      if (!roleAllows(r.principal.role, need)) {
        opts.metrics.authFailures.inc({ reason: 'forbidden' });
        throw new HttpError(403, `${r.principal.subject} has role ${r.principal.role}; ${request.method} ${request.routeOptions.url} needs ${need}`);
      }
      request.principal = r.principal;
    });
  },
  { name: 'saferoads-alert-api-auth', fastify: '5.x' },
);

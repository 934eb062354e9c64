import type { FastifyInstance } from 'fastify';
import { HttpError } from '@saferoads/shared/service';
import type { Authenticator } from '../../auth/authenticator.js';
import { generateApiKey, hashApiKey } from '../../auth/keys.js';
import type { AlertApiMetrics } from '../../metrics.js';
import type { ApiKeyRecord, AlertStore } from '../../store/store.js';
import { ErrorBodySchema, KeyListSchema, KeyParamsSchema, KeySchema, NewKeyBodySchema, NewKeySchema, type Role } from '../schemas.js';

const pub = ({ keyHash: _hash, ...k }: ApiKeyRecord) => k;
const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema };

/** API keys, for admins: list, create (the key is shown once), revoke. Each write is audited. */
export async function keyRoutes(app: FastifyInstance, o: { store: AlertStore; authenticator: Authenticator; metrics: AlertApiMetrics; now: () => number }): Promise<void> {
  app.get('/keys', { config: { role: 'admin' }, schema: { tags: ['auth'], summary: 'Every API key, without the keys themselves', response: { 200: KeyListSchema, ...errors } } }, async () => ({
    keys: (await o.store.listKeys()).map(pub),
  }));

  app.post<{ Body: { name: string; role: Role } }>(
    '/keys',
    { config: { role: 'admin' }, schema: { tags: ['auth'], summary: 'Create an API key; the answer is the only time the key is shown', body: NewKeyBodySchema, response: { 201: NewKeySchema, ...errors } } },
    async (request, reply) => {
      const admin = request.principal;
      if (!admin) throw new HttpError(401, 'authentication required');
      const { keyId, key } = generateApiKey();
      const record = { keyId, keyHash: hashApiKey(key), name: request.body.name, role: request.body.role, createdAtMs: o.now(), createdBy: admin.subject };
      await o.store.createKey(record, admin);
      o.metrics.actions.inc({ action: 'create_key', outcome: 'ok' });
      request.log.info({ keyId, role: record.role, actor: admin.subject }, 'API key created');
      return reply.code(201).send({ ...pub({ ...record, revokedAtMs: null }), key });
    },
  );

  app.delete<{ Params: { keyId: string } }>(
    '/keys/:keyId',
    { config: { role: 'admin' }, schema: { tags: ['auth'], summary: 'Revoke an API key', params: KeyParamsSchema, response: { 200: KeySchema, 404: ErrorBodySchema, ...errors } } },
    async (request) => {
      const admin = request.principal;
      if (!admin) throw new HttpError(401, 'authentication required');
      const k = await o.store.revokeKey(request.params.keyId, admin, o.now());
      if (!k) throw new HttpError(404, `no API key ${request.params.keyId}`, { details: [{ field: 'keyId', reason: 'unknown key' }] });
      o.authenticator.forgetKeys();
      o.metrics.actions.inc({ action: 'revoke_key', outcome: 'ok' });
      request.log.info({ keyId: k.keyId, actor: admin.subject }, 'API key revoked');
      return pub(k);
    },
  );
}

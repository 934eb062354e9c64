import type { FastifyInstance } from 'fastify';
import { ErrorBodySchema, MeSchema } from '../schemas.js';

export async function meRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/me',
    { config: { role: 'viewer' }, schema: { tags: ['auth'], summary: 'Who the token belongs to, and its role', response: { 200: MeSchema, 401: ErrorBodySchema } } },
    async (request) => {
      const p = request.principal;
      return { subject: p?.subject, role: p?.role, via: p?.via };
    },
  );
}

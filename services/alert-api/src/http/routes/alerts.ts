import type { FastifyInstance } from 'fastify';
import { HttpError } from '@saferoads/shared/service';
import type { Principal } from '../../auth/authenticator.js';
import type { AlertApiMetrics } from '../../metrics.js';
import type { ActionOutcome, AlertStore } from '../../store/store.js';
import type { StreamHub } from '../../stream/hub.js';
import { alertFilter, encodeCursor } from '../alerts-query.js';
import { AlertActionBodySchema, AlertDetailSchema, AlertListSchema, AlertParamsSchema, AlertSchema, AlertsQuerySchema, ConflictBodySchema, ErrorBodySchema, type AlertsQuery } from '../schemas.js';

export interface AlertRoutesOptions {
  readonly store: AlertStore;
  readonly hub: StreamHub;
  readonly metrics: AlertApiMetrics;
  readonly now: () => number;
}

const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema };

export async function alertRoutes(app: FastifyInstance, o: AlertRoutesOptions): Promise<void> {
  app.get<{ Querystring: AlertsQuery }>(
    '/alerts',
    {
      config: { role: 'viewer' },
      schema: { tags: ['alerts'], summary: 'Alerts, newest first and then most severe, filtered and paged', querystring: AlertsQuerySchema, response: { 200: AlertListSchema, ...errors } },
    },
    async (request) => {
      const page = await o.store.listAlerts(alertFilter(request.query));
      return { alerts: page.alerts, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  app.get<{ Params: { alertId: string } }>(
    '/alerts/:alertId',
    { config: { role: 'viewer' }, schema: { tags: ['alerts'], summary: 'One alert with its audit trail', params: AlertParamsSchema, response: { 200: AlertDetailSchema, ...errors } } },
    async (request) => {
      const a = await o.store.getAlert(request.params.alertId);
      if (!a) throw new HttpError(404, `no alert ${request.params.alertId}`, { details: [{ field: 'alertId', reason: 'unknown alert' }] });
      return a;
    },
  );

  const action = (name: 'acknowledge' | 'resolve', summary: string, run: (id: string, note: string | null, request: { principal: Principal }) => Promise<ActionOutcome>) =>
    app.post<{ Params: { alertId: string }; Body: { note?: string } | undefined }>(
      `/alerts/:alertId/${name}`,
      {
        config: { role: 'operator' },
        // A bodyless POST (curl -X POST) is an action without a note.
        preValidation: async (request) => {
          request.body ??= {};
        },
        schema: {
          tags: ['alerts'],
          summary,
          params: AlertParamsSchema,
          body: AlertActionBodySchema,
          response: { 200: AlertSchema, 409: ConflictBodySchema, 413: ErrorBodySchema, 415: ErrorBodySchema, ...errors },
        },
      },
      async (request) => {
        const principal = request.principal;
        if (!principal) throw new HttpError(401, 'authentication required');
        const note = request.body?.note?.trim() || null;
        const r = await run(request.params.alertId, note, { principal });
        o.metrics.actions.inc({ action: name, outcome: r.kind });
        if (r.kind === 'not_found') throw new HttpError(404, `no alert ${request.params.alertId}`, { details: [{ field: 'alertId', reason: 'unknown alert' }] });
        if (r.kind === 'conflict') throw new HttpError(409, r.reason, { extra: { alert: r.alert } });
        request.log.info({ alertId: r.alert.alertId, action: name, actor: principal.subject, role: principal.role }, 'alert updated');
        o.hub.publish('alert', r.alert);
        o.metrics.streamEvents.inc({ type: 'alert' });
        return r.alert;
      },
    );

  action('acknowledge', 'Acknowledge an open alert (operator): it stays acknowledged through escalations', (id, note, { principal }) =>
    o.store.acknowledge(id, { subject: principal.subject, role: principal.role }, note, o.now()),
  );
  action('resolve', 'Resolve an open or acknowledged alert (operator)', (id, note, { principal }) => o.store.resolve(id, { subject: principal.subject, role: principal.role }, note, o.now()));
}

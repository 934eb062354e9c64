import type { FastifyInstance } from 'fastify';
import { capAlertXml, capConfig, capFeedXml, datexConfig, datexSituationPublicationXml, type AlertView as ExportView } from '@saferoads/alert-exchange';
import type { Network } from '@saferoads/shared/network';
import { HttpError } from '@saferoads/shared/service';
import type { AlertApiConfig } from '../../config.js';
import { exportView } from '../../exchange.js';
import type { AlertStore } from '../../store/store.js';
import { AlertParamsSchema, ErrorBodySchema } from '../schemas.js';

/** Most alerts one export document holds (open and acknowledged ones: a traffic centre's picture now). */
const MAX_EXPORTED = 10_000;

async function openAlerts(store: AlertStore, network: Network): Promise<ExportView[]> {
  const out: ExportView[] = [];
  let after;
  do {
    const page = await store.listAlerts({ statuses: ['open', 'acknowledged'], limit: 500, ...(after && { after }) });
    for (const a of page.alerts) {
      const v = exportView(a, network);
      if (v) out.push(v);
    }
    after = page.next ?? undefined;
  } while (after && out.length < MAX_EXPORTED);
  return out;
}

const errors = { 401: ErrorBodySchema, 403: ErrorBodySchema };

/**
 * The exchange formats of @saferoads/alert-exchange: CAP 1.2 (an Atom feed of the open alerts, and
 * one alert) and a DATEX II v3 situation publication of the open alerts, docs/alert-exchange.md.
 */
export async function exportRoutes(app: FastifyInstance, o: { store: AlertStore; network: Network; config: AlertApiConfig; now: () => number }): Promise<void> {
  const cap = capConfig({ sender: o.config.capSender, ...(o.config.capWebBase && { webBase: o.config.capWebBase }) });
  const datex = datexConfig({ country: o.config.datexCountry, nationalIdentifier: o.config.datexNationalIdentifier });
  const skipped = (v: ExportView, problems: readonly string[]) => app.log.warn({ alertId: v.alertId, problems }, 'alert left out of an export');

  app.get(
    '/exports/cap',
    { config: { role: 'viewer' }, schema: { tags: ['exports'], summary: 'The open and acknowledged alerts as CAP 1.2 messages in an Atom feed (application/atom+xml)', response: errors } },
    async (_request, reply) => reply.type('application/atom+xml; charset=utf-8').send(capFeedXml(await openAlerts(o.store, o.network), cap, o.now(), skipped)),
  );

  app.get<{ Params: { alertId: string } }>(
    '/exports/cap/:alertId',
    { config: { role: 'viewer' }, schema: { tags: ['exports'], summary: 'One alert as a CAP 1.2 message (application/cap+xml)', params: AlertParamsSchema, response: { ...errors, 400: ErrorBodySchema, 404: ErrorBodySchema } } },
    async (request, reply) => {
      const a = await o.store.getAlert(request.params.alertId);
      const v = a && exportView(a, o.network);
      if (!v) throw new HttpError(404, `no exportable alert ${request.params.alertId}`, { details: [{ field: 'alertId', reason: a ? 'its segment is not in the network' : 'unknown alert' }] });
      return reply.type('application/cap+xml; charset=utf-8').send(capAlertXml(v, cap, o.now()));
    },
  );

  app.get(
    '/exports/datex',
    { config: { role: 'viewer' }, schema: { tags: ['exports'], summary: 'The open and acknowledged alerts as a DATEX II v3 SituationPublication (application/xml)', response: errors } },
    async (_request, reply) => reply.type('application/xml; charset=utf-8').send(datexSituationPublicationXml(await openAlerts(o.store, o.network), datex, o.now(), skipped)),
  );
}

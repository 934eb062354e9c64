import type { FastifyInstance } from 'fastify';
import { thresholdsProblems } from '@saferoads/shared/contracts';
import { HttpError } from '@saferoads/shared/service';
import type { AlertApiMetrics } from '../../metrics.js';
import type { AlertStore } from '../../store/store.js';
import type { ThresholdsOutbox } from '../../thresholds/outbox.js';
import {
  ErrorBodySchema,
  ThresholdsBodySchema,
  ThresholdsConflictSchema,
  ThresholdsHeadersSchema,
  ThresholdsHistoryQuerySchema,
  ThresholdsHistorySchema,
  ThresholdsVersionSchema,
  type ThresholdsBody,
  type ThresholdsHistoryQuery,
} from '../schemas.js';

export interface ThresholdsRoutesOptions {
  readonly store: AlertStore;
  readonly outbox: ThresholdsOutbox;
  readonly metrics: AlertApiMetrics;
  /** The wall clock: when a version was set. */
  readonly now: () => number;
  /** The pipeline's event time: the default effectiveFromMs is its next minute boundary, and none may be before it. */
  readonly eventNow: () => number;
}

const MINUTE_MS = 60_000;
/** The furthest ahead a change may be scheduled: further is most likely a unit mistake (seconds for milliseconds is far in the past). */
const MAX_AHEAD_MS = 366 * 24 * 3_600_000;
const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema };
const etag = (version: number) => `"${version}"`;

/**
 * The scorers' thresholds (docs/alert-api.md#thresholds): everyone reads them, admins set a new
 * version, from the version they saw (If-Match or expectedVersion: optimistic concurrency, 409 when
 * another came first). Each version is stored and audited, then published on risk.thresholds.
 */
export async function thresholdsRoutes(app: FastifyInstance, o: ThresholdsRoutesOptions): Promise<void> {
  app.get(
    '/thresholds',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['thresholds'],
        summary: 'The newest thresholds version (ETag: its version); 404 while none is set (the scorers apply their configured defaults)',
        response: { 200: ThresholdsVersionSchema, 404: ErrorBodySchema, ...errors },
      },
    },
    async (_request, reply) => {
      const v = await o.store.latestThresholds();
      if (!v) {
        throw new HttpError(404, 'no thresholds set yet: the scorers apply their configured defaults (RISK_LEVEL_*, RISK_ALERT_*); PUT /v1/thresholds with If-Match: "0" sets the first version', {
          headers: { etag: etag(0) },
        });
      }
      reply.header('etag', etag(v.version));
      return v;
    },
  );

  app.get<{ Querystring: ThresholdsHistoryQuery }>(
    '/thresholds/history',
    {
      config: { role: 'viewer' },
      schema: { tags: ['thresholds'], summary: 'Every thresholds version, newest first, paged', querystring: ThresholdsHistoryQuerySchema, response: { 200: ThresholdsHistorySchema, ...errors } },
    },
    async (request) => {
      const { limit, before } = request.query;
      const versions = await o.store.thresholdsHistory(limit + 1, before);
      const page = versions.slice(0, limit);
      return { versions: page, nextBefore: versions.length > limit ? page[page.length - 1].version : null };
    },
  );

  app.put<{ Body: ThresholdsBody; Headers: { 'if-match'?: string } }>(
    '/thresholds',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['thresholds'],
        summary: 'Set a new thresholds version (admin), from the version in If-Match or expectedVersion; 200 once published on risk.thresholds, 202 when stored and not published yet',
        headers: ThresholdsHeadersSchema,
        body: ThresholdsBodySchema,
        response: { 200: ThresholdsVersionSchema, 202: ThresholdsVersionSchema, 409: ThresholdsConflictSchema, 413: ErrorBodySchema, 415: ErrorBodySchema, 428: ErrorBodySchema, ...errors },
      },
    },
    async (request, reply) => {
      const admin = request.principal;
      if (!admin) throw new HttpError(401, 'authentication required');
      const body = request.body;
      const problems = thresholdsProblems(body.thresholds, 'thresholds.');
      if (problems.length > 0) throw new HttpError(400, 'invalid thresholds', { details: problems });
      const note = body.note.trim();
      if (note === '') throw new HttpError(400, 'invalid request body', { details: [{ field: 'note', reason: 'must not be blank: say why the thresholds change' }] });

      const eventNow = o.eventNow();
      const effectiveFromMs = body.effectiveFromMs ?? (Math.floor(eventNow / MINUTE_MS) + 1) * MINUTE_MS;
      if (effectiveFromMs < eventNow) {
        throw new HttpError(400, 'invalid request body', {
          details: [{ field: 'effectiveFromMs', reason: `must not be before now (${new Date(eventNow).toISOString()}): minutes already scored keep their thresholds` }],
        });
      }
      if (effectiveFromMs > eventNow + MAX_AHEAD_MS) throw new HttpError(400, 'invalid request body', { details: [{ field: 'effectiveFromMs', reason: `must be within 366 days of now (${new Date(eventNow).toISOString()})` }] });

      const header = request.headers['if-match'];
      const fromHeader = header === undefined ? undefined : Number(header.slice(1, -1));
      if (fromHeader !== undefined && body.expectedVersion !== undefined && fromHeader !== body.expectedVersion) {
        throw new HttpError(400, 'If-Match and expectedVersion name different versions', { details: [{ field: 'expectedVersion', reason: `is ${body.expectedVersion}, If-Match says ${fromHeader}` }] });
      }
      const expectedVersion = fromHeader ?? body.expectedVersion;
      if (expectedVersion === undefined) {
        throw new HttpError(428, 'say which version you are replacing: If-Match with the ETag of GET /v1/thresholds ("0" when none is set), or expectedVersion in the body', {
          details: [{ field: 'if-match', reason: 'is required (or expectedVersion)' }],
        });
      }

      const r = await o.store.setThresholds({ expectedVersion, thresholds: body.thresholds, effectiveFromMs, note }, { subject: admin.subject, role: admin.role }, o.now());
      if (r.kind === 'conflict') {
        o.metrics.actions.inc({ action: 'set_thresholds', outcome: 'conflict' });
        const newest = r.current?.version ?? 0;
        throw new HttpError(409, `thresholds version ${newest} is the newest, not ${expectedVersion}: someone else set them since; read them again and send If-Match: "${newest}"`, {
          extra: { current: r.current },
          headers: { etag: etag(newest) },
        });
      }
      let published = true;
      try {
        await o.outbox.flush();
      } catch (err) {
        published = false;
        request.log.warn({ err, version: r.version.version }, 'thresholds stored but not published yet: publishing is retried');
      }
      // As stored now: publishedAtMs set once its record (or a newer one's) is on the bus.
      const [view = r.version] = await o.store.thresholdsHistory(1, r.version.version + 1);
      published &&= view.publishedAtMs !== null;
      o.metrics.actions.inc({ action: 'set_thresholds', outcome: published ? 'ok' : 'unpublished' });
      request.log.info(
        { version: view.version, previousVersion: r.previous?.version ?? 0, effectiveFromMs, actor: admin.subject, role: admin.role, published },
        `thresholds version ${view.version} set, in force from ${new Date(effectiveFromMs).toISOString()}`,
      );
      reply.header('etag', etag(view.version));
      return reply.code(published ? 200 : 202).send(view);
    },
  );
}

import type { FastifyInstance } from 'fastify';
import type { Network } from '@saferoads/shared/network';
import { HttpError } from '@saferoads/shared/service';
import { nearestStation } from '../../geo.js';
import type { AlertStore, SegmentGeo } from '../../store/store.js';
import { ErrorBodySchema, SegmentCollectionSchema, SegmentDetailSchema, SegmentParamsSchema, SegmentQuerySchema } from '../schemas.js';
import type { SegmentsView } from '../segments-view.js';
import { baseFeatures } from '../segments-view.js';

export interface SegmentRoutesOptions {
  readonly store: AlertStore;
  readonly network: Network;
  readonly geo: ReadonlyMap<string, SegmentGeo>;
  readonly view: SegmentsView;
  readonly weatherRadiusKm: number;
}

export async function segmentRoutes(app: FastifyInstance, o: SegmentRoutesOptions): Promise<void> {
  const features = new Map(baseFeatures(o.network).map((f) => [f.id, f]));

  app.get(
    '/segments',
    {
      config: { role: 'viewer' },
      schema: { tags: ['segments'], summary: 'The network as GeoJSON, each segment with its latest score', response: { 200: SegmentCollectionSchema, 401: ErrorBodySchema } },
    },
    async (request, reply) => {
      const body = await o.view.body();
      reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
      // A 10,000-segment collection is ~10 MB of JSON and ~1.5 MB gzipped.
      if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(body.gzip);
      return reply.send(body.json);
    },
  );

  app.get<{ Params: { segmentId: string }; Querystring: { minutes: number } }>(
    '/segments/:segmentId',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['segments'],
        summary: 'One segment with its latest score, its recent scores and 1-minute stats, and the weather near it',
        params: SegmentParamsSchema,
        querystring: SegmentQuerySchema,
        response: { 200: SegmentDetailSchema, 400: ErrorBodySchema, 404: ErrorBodySchema },
      },
    },
    async (request) => {
      const { segmentId } = request.params;
      const feature = features.get(segmentId);
      const geo = o.geo.get(segmentId);
      if (!feature || !geo) throw new HttpError(404, `segment ${segmentId} is not in the network`, { details: [{ field: 'segmentId', reason: 'unknown segment' }] });
      const [score, history, stations] = await Promise.all([o.store.latestScore(segmentId), o.store.history(segmentId, request.query.minutes), o.store.stations()]);
      return {
        segment: { ...feature, properties: { ...feature.properties, score } },
        score,
        scores: history.scores,
        stats: history.stats,
        weather: nearestStation(geo.mid, stations, o.weatherRadiusKm),
      };
    },
  );
}

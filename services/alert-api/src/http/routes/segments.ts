import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Network } from '@saferoads/shared/network';
import { HttpError } from '@saferoads/shared/service';
import { nearestStation } from '../../geo.js';
import type { AlertStore, SegmentGeo } from '../../store/store.js';
import { sendRepresentation, type Representation } from '../representation.js';
import {
  ConditionalHeadersSchema,
  ErrorBodySchema,
  NotModifiedSchema,
  SegmentCollectionSchema,
  SegmentDetailSchema,
  SegmentGeometryCollectionSchema,
  SegmentParamsSchema,
  SegmentQuerySchema,
  SegmentScoresSchema,
} from '../schemas.js';
import type { SegmentsView } from '../segments-view.js';
import { baseFeatures } from '../segments-view.js';

/** Live collections: any cache may keep them, but asks again (If-None-Match) before every use. */
export const LIVE_CACHE_CONTROL = 'private, no-cache';
/** The geometry: a day without asking; a client that sees another `networkVersion` in the scores reloads it. */
export const GEOMETRY_CACHE_CONTROL = 'private, max-age=86400';

export interface SegmentRoutesOptions {
  readonly store: AlertStore;
  readonly network: Network;
  readonly geo: ReadonlyMap<string, SegmentGeo>;
  readonly view: SegmentsView;
  readonly weatherRadiusKm: number;
}

export async function segmentRoutes(app: FastifyInstance, o: SegmentRoutesOptions): Promise<void> {
  const features = new Map(baseFeatures(o.network).map((f) => [f.id, f]));

  const viewerGet = (url: string, summary: string, body: TSchema, rep: () => Promise<Representation>, cacheControl: string) =>
    app.get(
      url,
      {
        config: { role: 'viewer' },
        schema: {
          tags: ['segments'],
          summary,
          headers: ConditionalHeadersSchema,
          response: { 200: body, 304: NotModifiedSchema, 401: ErrorBodySchema },
        },
      },
      async (request, reply) => sendRepresentation(request, reply, await rep(), cacheControl),
    );

  // Clients keep the collection and revalidate it every time (If-None-Match: a 304 is a few bytes
  // where the collection is megabytes); the geometry changes only with the network.
  viewerGet('/segments', 'The network as GeoJSON, each segment with its latest score', SegmentCollectionSchema, () => o.view.collection(), LIVE_CACHE_CONTROL);
  viewerGet('/segments/geometry', 'The network as GeoJSON without scores: static, cacheable for a day', SegmentGeometryCollectionSchema, () => o.view.geometry(), GEOMETRY_CACHE_CONTROL);
  viewerGet('/segments/scores', 'Each segment\u2019s latest score by segment id, with the version of the geometry they belong to', SegmentScoresSchema, () => o.view.scores(), LIVE_CACHE_CONTROL);

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

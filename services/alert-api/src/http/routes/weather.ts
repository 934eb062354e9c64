import type { FastifyInstance } from 'fastify';
import type { AlertStore } from '../../store/store.js';
import { ErrorBodySchema, StationCollectionSchema } from '../schemas.js';

export async function weatherRoutes(app: FastifyInstance, o: { store: AlertStore }): Promise<void> {
  app.get(
    '/weather/stations',
    {
      config: { role: 'viewer' },
      schema: { tags: ['weather'], summary: 'Weather stations as GeoJSON Points, each with its newest observation', response: { 200: StationCollectionSchema, 401: ErrorBodySchema } },
    },
    async () => ({
      type: 'FeatureCollection' as const,
      features: (await o.store.stations()).map((obs) => ({
        type: 'Feature' as const,
        id: obs.stationId,
        geometry: { type: 'Point' as const, coordinates: obs.elevationM === undefined ? [obs.lon, obs.lat] : [obs.lon, obs.lat, obs.elevationM] },
        properties: obs,
      })),
    }),
  );
}

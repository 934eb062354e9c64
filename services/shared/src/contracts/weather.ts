import { Type, type Static } from '@sinclair/typebox';
import { MAX_EVENT_TS, MIN_EVENT_TS } from './detection.js';
import { compileValidator, stringEnum } from './validate.js';

export const PRECIPITATION_TYPES = ['none', 'rain', 'snow', 'sleet', 'hail'] as const;
export const ROAD_SURFACE_STATES = ['dry', 'moist', 'wet', 'ice', 'snow'] as const;

/** One reading of one weather station, as road weather stations report it. */
export const WeatherObservationSchema = Type.Object(
  {
    stationId: Type.String({ minLength: 1, maxLength: 64 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    elevationM: Type.Optional(Type.Number({ minimum: -500, maximum: 9000 })),
    ts: Type.Integer({ minimum: MIN_EVENT_TS, maximum: MAX_EVENT_TS }),
    precipitationMmH: Type.Number({ minimum: 0, maximum: 500 }),
    precipitationType: stringEnum(PRECIPITATION_TYPES),
    visibilityM: Type.Number({ minimum: 0, maximum: 100_000 }),
    windSpeedMs: Type.Number({ minimum: 0, maximum: 120 }),
    windGustMs: Type.Optional(Type.Number({ minimum: 0, maximum: 150 })),
    airTemperatureC: Type.Number({ minimum: -80, maximum: 70 }),
    roadSurfaceTemperatureC: Type.Optional(Type.Number({ minimum: -80, maximum: 90 })),
    roadSurfaceState: Type.Optional(stringEnum(ROAD_SURFACE_STATES)),
  },
  { $id: 'WeatherObservation' },
);
export type WeatherObservation = Static<typeof WeatherObservationSchema>;

export const weatherObservationValidator = compileValidator(WeatherObservationSchema);

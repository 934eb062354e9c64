export { WeatherSimulator, DEFAULT_INTERVAL_S } from './simulator.js';
export type { WeatherBatch, WeatherSimulatorOptions } from './types.js';
export { observationLine, WEATHER_FORMAT, WEATHER_ROUTE } from './format.js';
export { weatherEffect, interpolate } from './model/effects.js';
export { conditionsAt, precipitationTypeAt, precipitationVisibilityM, type Conditions } from './model/field.js';
export { buildScenario, type Front, type FogPatch, type GustSpell, type Scenario, type ScenarioOptions } from './model/scenario.js';
export { placeStations, DEFAULT_STATION_SPACING_KM, type Station } from './model/stations.js';
export { stepSurface, surfaceState, SurfaceModel, SPIN_UP_MS, type SurfaceState } from './model/surface.js';
export { Projection, pointAlong, segmentSite, type Km, type Site } from './model/geo.js';

export { buildApp, weatherPoller, type BuildAppOptions, type PollerWiring, type WeatherIngestApp, type WeatherTopics } from './app.js';
export { pollPoints, weatherIngestConfig, WeatherIngestConfigSchema, type LatLon, type WeatherIngestConfig } from './config.js';
export { checkObservation, observationRecord, REJECT_REASONS, type RejectReason } from './check.js';
export { OBSERVATIONS_PATH } from './routes/observations.js';
export { networkGrid } from './poller/grid.js';
export { OpenMeteoPoller, PollError, type FetchFn, type PollerOptions, type PollSummary } from './poller/poller.js';
export { CURRENT_VARIABLES, mapLocation, requestUrl, stationIdOf } from './poller/open-meteo.js';
export { precipitationType } from './poller/wmo.js';

import { runGatewayMain } from '@saferoads/shared/ingest';
import { DEFAULT_NETWORK_PATH, loadNetwork } from '@saferoads/shared/network';
import { buildApp } from './app.js';
import { pollPoints, weatherIngestConfig, type LatLon } from './config.js';
import { networkGrid } from './poller/grid.js';

let points: LatLon[] = [];

await runGatewayMain({
  name: 'weather-ingest',
  config: () => weatherIngestConfig(process.env),
  topics: ['weather', 'weatherDlq'],
  // The poll points first: a bad network file fails the start before any connection is made.
  prepare: (config, log) => {
    if (!config.pollEnabled) return;
    points = pollPoints(config);
    if (points.length === 0) {
      const network = loadNetwork(config.networkFile ?? DEFAULT_NETWORK_PATH);
      points = networkGrid(network, config.pollGridKm);
      log.info({ network: network.name, gridKm: config.pollGridKm, points: points.length }, 'poll points derived from the road network');
    }
    log.info({ points: points.length, intervalS: config.pollIntervalS }, 'polling Open-Meteo');
  },
  buildApp: (ctx) =>
    buildApp({
      bus: ctx.bus,
      log: ctx.log,
      metrics: ctx.metrics,
      config: ctx.config,
      readiness: ctx.readiness,
      pollPoints: points,
      topics: { observations: ctx.topics.weather, dlq: ctx.topics.weatherDlq },
    }),
});

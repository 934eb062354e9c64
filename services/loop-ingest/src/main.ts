import { runGatewayMain } from '@saferoads/shared/ingest';
import { DEFAULT_NETWORK_PATH, loadNetwork, type Network } from '@saferoads/shared/network';
import { buildApp } from './app.js';
import { loopIngestConfig } from './config.js';

let network: Network;

await runGatewayMain({
  name: 'loop-ingest',
  config: () => loopIngestConfig(process.env),
  topics: ['detections', 'detectionsDlq'],
  // The network first: a bad file fails the start before any connection is made.
  prepare: (config, log) => {
    network = loadNetwork(config.networkFile ?? DEFAULT_NETWORK_PATH);
    log.info({ network: network.name, segments: network.segments.length, detectors: network.detectors.size }, 'road network loaded');
  },
  buildApp: (ctx) =>
    buildApp({
      bus: ctx.bus,
      network,
      log: ctx.log,
      metrics: ctx.metrics,
      config: ctx.config,
      readiness: ctx.readiness,
      topics: { detections: ctx.topics.detections, dlq: ctx.topics.detectionsDlq },
    }),
});

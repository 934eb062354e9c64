import type { Bus } from '@saferoads/shared/bus';
import { InProcessBus } from '@saferoads/shared/bus';
import type { Detection } from '@saferoads/shared/contracts';
import { createLogger } from '@saferoads/shared/logger';
import { loadNetwork, type Network } from '@saferoads/shared/network';
import { ServiceMetrics, type Readiness } from '@saferoads/shared/service';
import { perTest } from '@saferoads/shared/testing';
import { TOPICS } from '@saferoads/shared/topics';
import { buildApp, type LoopIngestApp } from '../app.js';
import { loopIngestConfig } from '../config.js';

export { jsonSyntaxError, metricValue, readTopic, type ReadRecord } from '@saferoads/shared/testing';

/** Partitions of the test topics: more than one, so keys visibly pick partitions. */
export const PARTITIONS = 4;
export const T0 = 1_773_126_000_000;

let network: Network | undefined;
/** The bundled A13 network, loaded once per test file. */
export function testNetwork(): Network {
  network ??= loadNetwork();
  return network;
}

export function detection(detectorId: string, lane: number, i = 0): Detection {
  return { detectorId, lane, ts: T0 + i * 1_000, speedKmh: 80 + (i % 60), lengthM: 4.5 };
}

export interface TestApp {
  readonly app: LoopIngestApp;
  readonly bus: InProcessBus;
  readonly metrics: ServiceMetrics;
}

export interface TestAppOptions {
  readonly env?: Record<string, string>;
  /** Puts a failing or counting bus in front of the in-process one. */
  readonly wrap?: (bus: InProcessBus) => Bus;
  readonly ensureTopics?: boolean;
  readonly readiness?: Readiness;
}

/**
 * The gateway over an in-process bus whose topics exist. `env` sets configuration variables as
 * an operator would; `wrap` puts a failing or counting bus in front of the in-process one.
 */
export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const bus = new InProcessBus();
  if (opts.ensureTopics ?? true) {
    await bus.ensureTopics([TOPICS.detections, TOPICS.detectionsDlq].map((name) => ({ name, partitions: PARTITIONS })));
  }
  const metrics = new ServiceMetrics('loop-ingest', { defaultMetrics: false });
  const app = await buildApp({
    bus: opts.wrap ? opts.wrap(bus) : bus,
    network: testNetwork(),
    log: createLogger('loop-ingest', { level: 'silent' }),
    metrics,
    config: loopIngestConfig(opts.env ?? {}),
    ...(opts.readiness && { readiness: opts.readiness }),
  });
  return { app, bus, metrics };
}

/**
 * For a test file: a `start` that builds a test app, each closed after its test (vitest
 * afterEach), so no test leaks a server or a bus into the next.
 */
export function testAppPerTest(): (opts?: TestAppOptions) => Promise<TestApp> {
  const start = perTest(startTestApp, (t: TestApp) => t.app.close().then(() => undefined));
  return (opts = {}) => start(opts);
}

import { readFileSync } from 'node:fs';
import type { Bus } from '@saferoads/shared/bus';
import { InProcessBus } from '@saferoads/shared/bus';
import type { WeatherObservation } from '@saferoads/shared/contracts';
import { createLogger } from '@saferoads/shared/logger';
import { ServiceMetrics, type Readiness } from '@saferoads/shared/service';
import { perTest, readTopic, type ReadRecord } from '@saferoads/shared/testing';
import { TOPICS } from '@saferoads/shared/topics';
import { buildApp, type WeatherIngestApp } from '../app.js';
import type { LatLon } from '../config.js';
import { weatherIngestConfig } from '../config.js';
import type { FetchFn, PollerOptions } from '../poller/poller.js';

export { jsonSyntaxError, metricValue, readTopic } from '@saferoads/shared/testing';

/** Partitions of the test topics: more than one, so keys visibly pick partitions. */
export const PARTITIONS = 4;
/** 2026-03-10T07:00:00Z: the time of the recorded Open-Meteo responses, and the gateway's clock in tests. */
export const T0 = 1_773_126_000_000;

/** A valid reading of station `stationId`, `i` minutes after T0. */
export function observation(stationId: string, i = 0): WeatherObservation {
  return {
    stationId,
    lat: 47.2,
    lon: 11.4,
    ts: T0 + i * 60_000,
    precipitationMmH: 1.2,
    precipitationType: 'rain',
    visibilityM: 8_000,
    windSpeedMs: 3.5,
    windGustMs: 7.9,
    airTemperatureC: 4.5,
  };
}

/** A recorded Open-Meteo response of poller/fixtures/, as text. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../poller/fixtures/${name}`, import.meta.url), 'utf8');
}

/** The points the two-location fixtures answer for: Innsbruck and the Brenner pass. */
export const A13_POINTS: readonly LatLon[] = [
  { lat: 47.26, lon: 11.4 },
  { lat: 47.02, lon: 11.5 },
];

export interface TestApp {
  readonly app: WeatherIngestApp;
  readonly bus: InProcessBus;
  readonly metrics: ServiceMetrics;
}

export interface TestAppOptions {
  readonly env?: Record<string, string>;
  readonly wrap?: (bus: InProcessBus) => Bus;
  readonly ensureTopics?: boolean;
  readonly readiness?: Readiness;
  readonly pollPoints?: readonly LatLon[];
  readonly pollDeps?: Pick<PollerOptions, 'fetch' | 'random' | 'sleep'>;
}

/** The gateway over an in-process bus whose topics exist, its clock at T0. */
export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const bus = new InProcessBus();
  if (opts.ensureTopics ?? true) await bus.ensureTopics([TOPICS.weather, TOPICS.weatherDlq].map((name) => ({ name, partitions: PARTITIONS })));
  const metrics = new ServiceMetrics('weather-ingest', { defaultMetrics: false });
  const app = await buildApp({
    bus: opts.wrap ? opts.wrap(bus) : bus,
    log: createLogger('weather-ingest', { level: 'silent' }),
    metrics,
    config: weatherIngestConfig(opts.env ?? {}),
    now: () => T0,
    ...(opts.readiness && { readiness: opts.readiness }),
    ...(opts.pollPoints && { pollPoints: opts.pollPoints }),
    ...(opts.pollDeps && { pollDeps: opts.pollDeps }),
  });
  return { app, bus, metrics };
}

/** For a test file: a `start` whose apps are closed after each test. */
export function testAppPerTest(): (opts?: TestAppOptions) => Promise<TestApp> {
  const start = perTest(startTestApp, (t: TestApp) => t.app.close().then(() => undefined));
  return (opts = {}) => start(opts);
}

export const observationsOf = async (bus: InProcessBus): Promise<ReadRecord[]> => readTopic(bus, TOPICS.weather);

/** A fetch that answers each call with the next of `answers`: a response (status, body) or an error to throw. */
export function scriptedFetch(answers: readonly ({ status: number; body: string } | Error)[]): FetchFn & { urls: string[] } {
  const urls: string[] = [];
  let i = 0;
  const fn = async (url: string, init: RequestInit): Promise<Response> => {
    urls.push(url);
    const a = answers[Math.min(i++, answers.length - 1)];
    if (a instanceof Error) throw a;
    if (a.status === 0) {
      // No answer until aborted (the request timeout, or stop()).
      return new Promise((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true }));
    }
    return new Response(a.body, { status: a.status, headers: { 'content-type': 'application/json' } });
  };
  return Object.assign(fn, { urls });
}

import { InProcessBus, interceptSends, type Bus } from '@saferoads/shared/bus';
import { SaferoadsError } from '@saferoads/shared/errors';
import { createLogger } from '@saferoads/shared/logger';
import { ServiceMetrics } from '@saferoads/shared/service';
import { readTopic } from '@saferoads/shared/testing';
import { TOPICS, type DeadLetter } from '@saferoads/shared/topics';
import { describe, expect, it } from 'vitest';
import { weatherPoller } from '../app.js';
import { weatherIngestConfig } from '../config.js';
import { weatherIngestMetrics } from '../metrics.js';
import { A13_POINTS, fixture, metricValue, observationsOf, PARTITIONS, scriptedFetch, startTestApp, T0 } from '../testing/harness.js';

const ok = (name: string) => ({ status: 200, body: fixture(name) });

/** A poller over an in-process bus, as the gateway wires it; retry pauses are recorded, not slept. */
async function pollerWith(answers: Parameters<typeof scriptedFetch>[0], opts: { env?: Record<string, string>; wrap?: (bus: InProcessBus) => Bus } = {}) {
  const bus = new InProcessBus();
  await bus.ensureTopics([TOPICS.weather, TOPICS.weatherDlq].map((name) => ({ name, partitions: PARTITIONS })));
  const metrics = new ServiceMetrics('weather-ingest', { defaultMetrics: false });
  const fetch = scriptedFetch(answers);
  const pauses: number[] = [];
  const poller = weatherPoller({
    producer: (opts.wrap ? opts.wrap(bus) : bus).producer(),
    ingest: weatherIngestMetrics(metrics),
    metrics,
    log: createLogger('weather-ingest', { level: 'silent' }),
    config: weatherIngestConfig({ WEATHER_POLL_ENABLED: 'true', WEATHER_POLL_TIMEOUT_MS: '200', ...opts.env }),
    topics: { observations: TOPICS.weather, dlq: TOPICS.weatherDlq },
    now: () => T0,
    points: A13_POINTS,
    deps: {
      fetch,
      random: () => 0.5,
      sleep: async (ms) => {
        pauses.push(ms);
      },
    },
  });
  const metric = async (name: string, labels: Record<string, string> = {}) => {
    const text = await metrics.text();
    return metricValue({ inject: async () => ({ body: text }) }, `saferoads_weather_poll_${name}`, labels);
  };
  return { bus, poller, fetch, pauses, metric };
}

describe('OpenMeteoPoller.pollOnce', () => {
  it('publishes every location of a recorded answer to weather.observations, keyed by its station', async () => {
    const p = await pollerWith([ok('a13-two-points.json')]);
    expect(await p.poller.pollOnce()).toEqual({ requestsFailed: 0, published: 2, unchanged: 0, rejected: 0, publishFailed: false });
    const written = (await observationsOf(p.bus)).map((r) => [r.key, r.timestamp, (JSON.parse(r.value) as { precipitationType: string }).precipitationType]);
    expect(written.sort()).toEqual([
      ['open-meteo:47.0200,11.5000', T0, 'snow'],
      ['open-meteo:47.2600,11.4000', T0, 'rain'],
    ]);
    expect(p.fetch.urls).toHaveLength(1);
    expect(await p.metric('requests_total', { outcome: 'ok' })).toBe(1);
    expect(await p.metric('observations_total', { outcome: 'published' })).toBe(2);
    expect(await p.metric('last_success_timestamp_seconds')).toBe(T0 / 1000);
  });

  it('skips readings no newer than the last published one, so a poll within the same 15 minutes writes nothing', async () => {
    const p = await pollerWith([ok('a13-two-points.json')]);
    await p.poller.pollOnce();
    expect(await p.poller.pollOnce()).toEqual({ requestsFailed: 0, published: 0, unchanged: 2, rejected: 0, publishFailed: false });
    expect(await observationsOf(p.bus)).toHaveLength(2);
    expect(await p.metric('observations_total', { outcome: 'unchanged' })).toBe(2);
  });

  it('retries a 503 and a timeout with backoff and full jitter, then publishes', async () => {
    const p = await pollerWith([{ status: 503, body: 'upstream overloaded' }, { status: 0, body: '' }, ok('a13-two-points.json')]);
    expect(await p.poller.pollOnce()).toMatchObject({ requestsFailed: 0, published: 2 });
    // WEATHER_POLL_BACKOFF_MS 2000 doubling, times the injected jitter 0.5.
    expect(p.pauses).toEqual([1000, 2000]);
    expect(await p.metric('requests_total', { outcome: 'http_5xx' })).toBe(1);
    expect(await p.metric('requests_total', { outcome: 'timeout' })).toBe(1);
    expect(await p.metric('requests_total', { outcome: 'ok' })).toBe(1);
  });

  it.each([
    ['a body that is not JSON', { status: 200, body: '[{"latitude": 47.26,' }, 'malformed', 4],
    ['a connection refused', Object.assign(new TypeError('fetch failed'), { cause: new Error('connect ECONNREFUSED 127.0.0.1:443') }), 'network', 4],
    ['a 400 naming a bad parameter', { status: 400, body: fixture('error-400.json') }, 'http_4xx', 1],
    ['a 200 with the wrong number of locations', ok('innsbruck-iso-time.json'), 'unexpected', 1],
  ])('counts %s, retries only what a retry can fix, and never throws', async (_what, answer, outcome, attempts) => {
    const p = await pollerWith([answer]);
    expect(await p.poller.pollOnce()).toEqual({ requestsFailed: 1, published: 0, unchanged: 0, rejected: 0, publishFailed: false });
    expect(p.fetch.urls).toHaveLength(attempts);
    expect(await p.metric('requests_total', { outcome })).toBe(attempts);
    expect(await observationsOf(p.bus)).toEqual([]);
    expect(await p.metric('last_success_timestamp_seconds')).toBe(0);
  });

  it('sends a location with a missing field to the dead-letter topic with the field, and publishes the other', async () => {
    const p = await pollerWith([ok('missing-fields.json')]);
    expect(await p.poller.pollOnce()).toEqual({ requestsFailed: 0, published: 1, unchanged: 0, rejected: 1, publishFailed: false });
    expect((await observationsOf(p.bus)).map((r) => r.key)).toEqual(['open-meteo:47.0200,11.5000']);
    const letters = (await readTopic(p.bus, TOPICS.weatherDlq)).map((r) => JSON.parse(r.value) as DeadLetter);
    expect(letters.map((l) => [l.reason, l.source, (JSON.parse(l.raw) as { latitude: number }).latitude])).toEqual([['current.visibility: is missing', null, 47.26]]);
    expect(await p.metric('observations_total', { outcome: 'rejected' })).toBe(1);
  });

  it('counts a poll the bus did not take, and publishes those readings with the next poll', async () => {
    let busDown = true;
    const p = await pollerWith([ok('a13-two-points.json')], {
      wrap: (bus) =>
        interceptSends(bus, () => {
          if (busDown) throw new SaferoadsError('BUS_UNAVAILABLE', 'connect ECONNREFUSED 10.0.0.7:9092', { retriable: true });
        }),
    });
    expect(await p.poller.pollOnce()).toMatchObject({ publishFailed: true, published: 0 });
    expect(await p.metric('publish_failures_total')).toBe(1);
    busDown = false;
    expect(await p.poller.pollOnce()).toMatchObject({ publishFailed: false, published: 2 });
    expect(await observationsOf(p.bus)).toHaveLength(2);
  });

  it('asks for at most WEATHER_POLL_MAX_LOCATIONS locations per request', async () => {
    const p = await pollerWith([ok('innsbruck-iso-time.json')], { env: { WEATHER_POLL_MAX_LOCATIONS: '1' } });
    await p.poller.pollOnce();
    expect(p.fetch.urls.map((u) => new URL(u).searchParams.get('latitude'))).toEqual(['47.2600', '47.0200']);
  });
});

describe('the poller inside the gateway', () => {
  it('polls once the app is ready, waits for the next interval, and stops when the app closes', async () => {
    const fetch = scriptedFetch([ok('a13-two-points.json')]);
    const waits: number[] = [];
    const t = await startTestApp({
      env: { WEATHER_POLL_ENABLED: 'true', WEATHER_POLL_INTERVAL_S: '600' },
      pollPoints: A13_POINTS,
      pollDeps: {
        fetch,
        sleep: (ms, signal) => {
          waits.push(ms);
          return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        },
      },
    });
    for (let i = 0; i < 100 && waits.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(590_000);
    expect(waits[0]).toBeLessThanOrEqual(600_000);
    expect(await observationsOf(t.bus)).toHaveLength(2);
    expect(await metricValue(t.app, 'saferoads_weather_poll_requests_total', { outcome: 'ok' })).toBe(1);
    await t.app.close();
    expect(fetch.urls).toHaveLength(1);
  });
});

import { InProcessBus, partitionFor, type Bus, type BusConsumer } from '@saferoads/shared/bus';
import type { WeatherObservation } from '@saferoads/shared/contracts';
import { createLogger } from '@saferoads/shared/logger';
import { ServiceMetrics } from '@saferoads/shared/service';
import { metricValue, perTest } from '@saferoads/shared/testing';
import { describe, expect, it } from 'vitest';
import { startWeatherFeed, type WeatherFeed, type WeatherFeedOptions } from './weather-feed.js';

const TOPIC = 'weather.observations';
const PARTITIONS = 4;
const T0 = 1_773_126_000_000;
const log = createLogger('context-test', { level: 'silent' });

function reading(stationId: string, i: number): WeatherObservation {
  return { stationId, lat: 47 + i / 100, lon: 11.4, ts: T0 + i * 60_000, precipitationMmH: i % 3, precipitationType: i % 3 ? 'rain' : 'none', visibilityM: 9_000, windSpeedMs: 2, airTemperatureC: 3 };
}

async function busWith(values: readonly (WeatherObservation | string)[]): Promise<InProcessBus> {
  const bus = new InProcessBus();
  await bus.ensureTopics([{ name: TOPIC, partitions: PARTITIONS }]);
  await publish(bus, values);
  return bus;
}

async function publish(bus: Bus, values: readonly (WeatherObservation | string)[]): Promise<void> {
  const records = values.map((v) => (typeof v === 'string' ? { key: 'junk', value: v } : { key: v.stationId, value: JSON.stringify(v), timestamp: v.ts }));
  await bus.producer().send(TOPIC, records);
}

const STATIONS = ['WS-INN', 'WS-PAT', 'WS-MAT', 'WS-STE', 'WS-BRE'];
/** Five stations on several partitions, three readings each, in time order. */
const HISTORY = [0, 1, 2].flatMap((i) => STATIONS.map((s) => reading(s, i)));

interface Started {
  readonly feed: WeatherFeed;
  readonly got: WeatherObservation[];
  readonly metrics: ServiceMetrics;
}

const start = perTest(
  async (o: Partial<WeatherFeedOptions> & { bus: Bus }): Promise<Started> => {
    const got: WeatherObservation[] = [];
    const metrics = new ServiceMetrics('scorer', { defaultMetrics: false });
    const feed = startWeatherFeed({ topic: TOPIC, log, metrics, onObservation: (obs) => got.push(obs), restartBackoff: { initialDelayMs: 1, maxDelayMs: 5 }, ...o });
    return { feed, got, metrics };
  },
  async (s: Started) => s.feed.stop(),
);

const metric = (s: Started, name: string, labels: Record<string, string> = {}) => metricValue({ inject: async () => ({ body: await s.metrics.text() }) }, `saferoads_weather_feed_${name}`, labels);

/** Per station, the timestamps received, in order. */
const tsByStation = (got: readonly WeatherObservation[]) => {
  const out: Record<string, number[]> = {};
  for (const o of got) (out[o.stationId] ??= []).push(o.ts);
  return out;
};

describe('startWeatherFeed on the in-process bus', () => {
  it('hands over every reading of every partition, each station in order, and is caught up once it has', async () => {
    expect(new Set(STATIONS.map((s) => partitionFor(s, PARTITIONS))).size).toBeGreaterThan(1);
    const s = await start({ bus: await busWith(HISTORY) });
    await s.feed.caughtUp;
    expect(s.got).toHaveLength(HISTORY.length);
    expect(tsByStation(s.got)).toEqual(Object.fromEntries(STATIONS.map((st) => [st, [T0, T0 + 60_000, T0 + 120_000]])));
    expect(s.feed.stats()).toEqual({ applied: 15, malformed: 0, schema: 0, handlerErrors: 0, restarts: 0 });
    expect(await metric(s, 'caught_up')).toBe(1);
    expect(await metric(s, 'records_total', { outcome: 'applied' })).toBe(15);
  });

  it('gives every instance the whole topic: two feeds on one bus each read all of it', async () => {
    const bus = await busWith(HISTORY);
    // Started together: the in-process bus drops what every group it knows has read, so a group
    // that joins after the others have read everything finds less (Kafka keeps it: the int test).
    const [a, b] = await Promise.all([start({ bus }), start({ bus })]);
    await Promise.all([a.feed.caughtUp, b.feed.caughtUp]);
    expect(tsByStation(a.got)).toEqual(tsByStation(b.got));
    expect(b.got).toHaveLength(15);
  });

  it('is caught up at once on an empty topic, then follows new readings as they come', async () => {
    const bus = await busWith([]);
    const s = await start({ bus });
    await s.feed.caughtUp;
    expect(s.got).toEqual([]);
    await publish(bus, [reading('WS-INN', 5)]);
    for (let i = 0; i < 100 && s.got.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(s.got).toEqual([reading('WS-INN', 5)]);
  });

  it('counts records that are no observations, keeps the valid ones beside them, and still catches up when a partition ends with one', async () => {
    const bad = ['{"stationId":', JSON.stringify({ ...reading('WS-INN', 9), visibilityM: -1 }), 'null'];
    // Junk is keyed "junk": whichever partition that is ends with invalid records.
    const s = await start({ bus: await busWith([...HISTORY.slice(0, 5), ...bad]) });
    await s.feed.caughtUp;
    expect(tsByStation(s.got)).toEqual(tsByStation(HISTORY.slice(0, 5)));
    expect(s.feed.stats()).toEqual({ applied: 5, malformed: 1, schema: 2, handlerErrors: 0, restarts: 0 });
    expect(await metric(s, 'records_total', { outcome: 'malformed' })).toBe(1);
    expect(await metric(s, 'records_total', { outcome: 'schema' })).toBe(2);
  });

  it('counts an observation its receiver throws on, and goes on with the next', async () => {
    const got: string[] = [];
    const s = await start({
      bus: await busWith(HISTORY.slice(0, 5)),
      onObservation: (o) => {
        if (o.stationId === 'WS-PAT') throw new Error('table full');
        got.push(o.stationId);
      },
    });
    await s.feed.caughtUp;
    expect(got.sort()).toEqual(['WS-BRE', 'WS-INN', 'WS-MAT', 'WS-STE']);
    expect(s.feed.stats().handlerErrors).toBe(1);
  });

  it('replaces a consumer that fails with a fresh one that reads from the beginning', async () => {
    const inner = await busWith(HISTORY);
    let consumers = 0;
    const bus: Bus = {
      ensureTopics: (t) => inner.ensureTopics(t),
      partitionsOf: (t) => inner.partitionsOf(t),
      producer: () => inner.producer(),
      transactionalConsumer: (o) => inner.transactionalConsumer(o),
      tableReader: (t) => inner.tableReader(t),
      close: () => inner.close(),
      consumer: (o): BusConsumer => {
        if (++consumers > 1) return inner.consumer(o);
        return { run: async () => Promise.reject(new Error('coordinator not available')), stop: async () => undefined };
      },
    };
    const s = await start({ bus });
    await s.feed.caughtUp;
    expect(s.feed.stats()).toMatchObject({ applied: 15, restarts: 1 });
    expect(await metric(s, 'restarts_total')).toBe(1);
  });

  it('rejects caughtUp when stopped before it caught up', async () => {
    const bus = new InProcessBus();
    // No topic yet: the feed keeps trying, so it never catches up before stop().
    const got: WeatherObservation[] = [];
    const feed = startWeatherFeed({ bus, topic: TOPIC, log, onObservation: (o) => got.push(o), restartBackoff: { initialDelayMs: 1, maxDelayMs: 5 } });
    await new Promise((r) => setTimeout(r, 20));
    await feed.stop();
    await expect(feed.caughtUp).rejects.toThrow('the weather feed of weather.observations stopped before it caught up');
    expect(feed.stats().restarts).toBeGreaterThan(0);
  });
});

/**
 * The weather feed against the real broker: every instance (its own Kafka client) reads every
 * partition of the topic from the beginning, is caught up once everything that was there at its
 * start is applied, follows new readings, and is rebuilt from the topic on every start.
 */
import type { BusRecord } from '@saferoads/shared/bus';
import { freshName, intClientsPerTest, waitFor } from '@saferoads/shared/bus/testing';
import type { WeatherObservation } from '@saferoads/shared/contracts';
import { createLogger } from '@saferoads/shared/logger';
import { describe, expect, it } from 'vitest';
import { startWeatherFeed, type WeatherFeed } from './weather-feed.js';

const PARTITIONS = 3;
const T0 = 1_773_126_000_000;
const log = createLogger('context-int', { level: 'silent' });
const clients = intClientsPerTest();

function reading(stationId: string, i: number): WeatherObservation {
  return { stationId, lat: 47 + i / 100, lon: 11.4, ts: T0 + i * 600_000, precipitationMmH: i % 4, precipitationType: i % 4 ? 'rain' : 'none', visibilityM: 9_000 - i * 100, windSpeedMs: 2 + i / 10, airTemperatureC: 3 };
}

const STATIONS = ['WS-INN', 'WS-PAT', 'WS-SCH', 'WS-MAT', 'WS-STE', 'WS-GRI', 'WS-BRE'];
const HISTORY = [0, 1, 2, 3].flatMap((i) => STATIONS.map((s) => reading(s, i)));
const record = (o: WeatherObservation): BusRecord => ({ key: o.stationId, value: JSON.stringify(o), timestamp: o.ts });

/** Per station, the timestamps received, in order. */
function tsByStation(got: readonly WeatherObservation[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const o of got) (out[o.stationId] ??= []).push(o.ts);
  return out;
}

interface Instance {
  readonly feed: WeatherFeed;
  readonly got: WeatherObservation[];
}

/** A scorer instance's feed, on a Kafka client of its own. */
function instance(topic: string): Instance {
  const got: WeatherObservation[] = [];
  const feed = startWeatherFeed({ bus: clients.bus(), topic, log, onObservation: (o) => got.push(o) });
  return { feed, got };
}

async function withFeeds<T>(feeds: Instance[], body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    await Promise.all(feeds.map((f) => f.feed.stop()));
  }
}

async function topicWith(records: readonly BusRecord[]): Promise<string> {
  const topic = freshName('weather-feed');
  const bus = clients.bus();
  await bus.ensureTopics([{ name: topic, partitions: PARTITIONS }]);
  if (records.length > 0) await bus.producer().send(topic, records);
  return topic;
}

describe('weather feed on Kafka', () => {
  it('gives every instance every partition, caught up once the start-time content is applied, then follows new readings', async () => {
    const junk: BusRecord[] = [
      { key: 'WS-INN', value: '{"stationId": "WS-INN", ' },
      { key: 'WS-BRE', value: JSON.stringify({ ...reading('WS-BRE', 9), precipitationType: 'drizzle' }) },
    ];
    const topic = await topicWith([...HISTORY.map(record), ...junk]);
    const a = instance(topic);
    const b = instance(topic);
    await withFeeds([a, b], async () => {
      await Promise.all([a.feed.caughtUp, b.feed.caughtUp]);
      const expected = Object.fromEntries(STATIONS.map((s) => [s, [0, 1, 2, 3].map((i) => T0 + i * 600_000)]));
      for (const inst of [a, b]) {
        expect(tsByStation(inst.got)).toEqual(expected);
        expect(inst.feed.stats()).toEqual({ applied: HISTORY.length, malformed: 1, schema: 1, handlerErrors: 0, restarts: 0 });
      }
      const late = [reading('WS-INN', 4), reading('WS-BRE', 4)];
      await clients.bus().producer().send(topic, late.map(record));
      await waitFor(() => a.got.length === HISTORY.length + 2 && b.got.length === HISTORY.length + 2, 30_000, 'both instances to get the new readings');
      expect(a.got.slice(-2).sort((x, y) => x.stationId.localeCompare(y.stationId))).toEqual([late[1], late[0]]);
    });
  });

  it('is rebuilt from the topic on every start, and caught up at once on an empty topic', async () => {
    const topic = await topicWith(HISTORY.map(record));
    const first = instance(topic);
    await withFeeds([first], () => first.feed.caughtUp);
    const again = instance(topic);
    await withFeeds([again], async () => {
      await again.feed.caughtUp;
      expect(again.got).toHaveLength(HISTORY.length);
      expect(tsByStation(again.got)).toEqual(tsByStation(first.got));
    });
    const empty = instance(await topicWith([]));
    await withFeeds([empty], async () => {
      await empty.feed.caughtUp;
      expect(empty.got).toEqual([]);
    });
  });
});

/** The kafka:// target of `saferoads simulate-weather` against the real broker. */
import type { CommanderError } from 'commander';
import { partitionFor, type ConsumedRecord } from '@saferoads/shared/bus';
import { freshName, intBrokers, intClientsPerTest, intLogger, waitFor } from '@saferoads/shared/bus/testing';
import { loadNetwork } from '@saferoads/shared/network';
import { TOPICS } from '@saferoads/shared/topics';
import { feed, kafkaTargetConfig, openKafkaSink } from '@saferoads/loop-sensor/targets';
import { describe, expect, it } from 'vitest';
import { simulateWeatherCommand } from '../../../../cli/commands/simulate-weather.js';
import { observationLine, WEATHER_FORMAT } from '../format.js';
import { WeatherSimulator } from '../simulator.js';

const PARTITIONS = 3;
const START = Date.parse('2026-03-10T05:00:00Z');

async function* from<T>(xs: readonly T[]): AsyncGenerator<T> {
  yield* xs;
}

describe('simulated weather on a real broker', () => {
  const clients = intClientsPerTest();

  it('produces every reading keyed by its station, each station\'s readings in order on its partition', async () => {
    const bus = clients.bus();
    const topic = freshName('sim-weather');
    await bus.ensureTopics([{ name: topic, partitions: PARTITIONS }]);
    const batches = [...new WeatherSimulator({ network: loadNetwork(), seed: 11, startMs: START, minutes: 120 }).batches()];
    const expected = batches.flatMap((b) => b.observations);

    const sink = await openKafkaSink({ config: kafkaTargetConfig(intBrokers(), {}), topic, format: WEATHER_FORMAT, batchSize: 7, logger: intLogger() });
    const result = await feed(from(batches), sink);
    expect(result.error).toBeUndefined();
    expect(result.stats.sent).toBe(expected.length);

    const got: (ConsumedRecord & { partition: number })[] = [];
    const c = clients.consumer(bus.consumer({ groupId: freshName('sim-weather-reader'), topics: [topic], fromBeginning: true }));
    const run = c.run(async (b) => void got.push(...b.records.map((r) => ({ ...r, partition: b.partition }))));
    await waitFor(() => got.length >= expected.length, 30_000, `${expected.length} readings`, run);
    expect(got).toHaveLength(expected.length);
    const byStation = (values: { key: string | null; value: string }[]) => {
      const out: Record<string, string[]> = {};
      for (const v of values) (out[v.key ?? '(null)'] ??= []).push(v.value);
      return out;
    };
    got.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
    expect(byStation(got)).toEqual(byStation(expected.map((o) => ({ key: o.stationId, value: observationLine(o) }))));
    expect(got.filter((r) => r.partition !== partitionFor(r.key!, PARTITIONS))).toEqual([]);
  });

  it('saferoads simulate-weather --target kafka:// adds its readings to weather.observations', async () => {
    const bus = clients.bus();
    await bus.ensureTopics([{ name: TOPICS.weather, partitions: PARTITIONS }]);
    const before = (await bus.endOffsets(TOPICS.weather)).reduce((a, b) => a + b, 0);
    let err = '';
    const cmd = simulateWeatherCommand()
      .exitOverride()
      .configureOutput({ writeErr: (s) => (err += s), writeOut: () => {} });
    let code = 0;
    try {
      await cmd.parseAsync(['--seed', '5', '--minutes', '30', '--start', '2026-03-10T05:00:00Z', '--target', `kafka://${intBrokers().join(',')}`], { from: 'user' });
    } catch (e) {
      code = (e as CommanderError).exitCode;
    }
    expect(code).toBe(0);
    expect(err).toMatch(/^simulate-weather: 30 records sent to kafka:\/\/\S+ topic weather\.observations in \d+\.\d\d s \(\d+ records\/s, \d+ requests, 0 retries\)\n$/);
    expect((await bus.endOffsets(TOPICS.weather)).reduce((a, b) => a + b, 0) - before).toBe(30);
  });
});

/** `saferoads simulate-weather` and `saferoads simulate --weather`, run in-process as the CLI runs them. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command, CommanderError } from 'commander';
import { loadNetwork } from '@saferoads/shared/network';
import { afterAll, describe, expect, it } from 'vitest';
import { simulateCommand } from '../../../../cli/commands/simulate.js';
import { simulateWeatherCommand } from '../../../../cli/commands/simulate-weather.js';
import { observationsOf, startTestApp } from '../../../../services/weather-ingest/src/testing/harness.js';
import { observationLine } from '../format.js';
import { WeatherSimulator } from '../simulator.js';

const dir = mkdtempSync(join(tmpdir(), 'simulate-weather-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => join(dir, name);
const lines = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n');

async function runCli(command: () => Command, args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const cmd = command()
    .exitOverride()
    .configureOutput({ writeErr: (s) => (err += s), writeOut: () => {} });
  try {
    await cmd.parseAsync(args, { from: 'user' });
    return { code: 0, err };
  } catch (e) {
    return { code: (e as CommanderError).exitCode, err };
  }
}

const START = '2026-03-10T05:00:00Z';

describe('saferoads simulate-weather', () => {
  it('writes the simulator\'s readings as NDJSON, in contract field order', async () => {
    const r = await runCli(simulateWeatherCommand, ['--seed', '7', '--start', START, '--minutes', '30', '--interval', '600', '--out', file('w.ndjson')]);
    expect(r).toEqual({ code: 0, err: '' });
    const sim = new WeatherSimulator({ network: loadNetwork(), seed: 7, startMs: Date.parse(START), minutes: 30, intervalS: 600 });
    expect(lines(file('w.ndjson'))).toEqual([...sim.batches()].flatMap((b) => b.observations.map(observationLine)));
    expect(Object.keys(JSON.parse(lines(file('w.ndjson'))[0]) as object)).toEqual([
      'stationId', 'lat', 'lon', 'elevationM', 'ts', 'precipitationMmH', 'precipitationType', 'visibilityM', 'windSpeedMs', 'windGustMs', 'airTemperatureC', 'roadSurfaceTemperatureC', 'roadSurfaceState',
    ]);
  });

  it('refuses bad options with exit code 2, naming the option', async () => {
    expect(await runCli(simulateWeatherCommand, ['--interval', '5'])).toEqual({ code: 2, err: "error: option '--interval' must be between 10 and 86400, got 5\n" });
    expect(await runCli(simulateWeatherCommand, ['--out', join(dir, 'no/such/dir/w.ndjson')])).toMatchObject({ code: 2 });
  });

  it('feeds the weather gateway: every reading accepted and on weather.observations, keyed by its station', async () => {
    const gateway = await startTestApp();
    try {
      const address = await gateway.app.listen({ port: 0, host: '127.0.0.1' });
      const r = await runCli(simulateWeatherCommand, ['--seed', '3', '--start', START, '--minutes', '50', '--target', address]);
      expect(r.code).toBe(0);
      expect(r.err).toMatch(new RegExp(`^simulate-weather: 50 records sent to ${address}/v1/weather/observations in [0-9.]+ s \\([0-9]+ records/s, [0-9]+ requests, 0 retries\\): 50 accepted, 0 rejected\\n$`));
      const written = await observationsOf(gateway.bus);
      expect(written).toHaveLength(50);
      expect(written.every((rec) => rec.key === (JSON.parse(rec.value) as { stationId: string }).stationId)).toBe(true);
    } finally {
      await gateway.app.close();
    }
  });
});

describe('saferoads simulate --weather', () => {
  it('writes the same readings as simulate-weather with the same seed, and its traffic feels them', async () => {
    const common = ['--seed', '7', '--start', START, '--minutes', '20', '--no-progress'];
    expect(await runCli(simulateCommand, [...common, '--out', file('dry.ndjson')])).toEqual({ code: 0, err: '' });
    expect(await runCli(simulateCommand, [...common, '--weather', '--temperature-offset', '-8', '--out', file('wet.ndjson'), '--weather-out', file('readings.ndjson')])).toEqual({ code: 0, err: '' });
    expect(await runCli(simulateWeatherCommand, ['--seed', '7', '--start', START, '--minutes', '20', '--temperature-offset', '-8', '--out', file('alone.ndjson')])).toEqual({ code: 0, err: '' });
    expect(lines(file('readings.ndjson'))).toEqual(lines(file('alone.ndjson')));
    const meanSpeed = (path: string) => {
      const ds = lines(path).map((l) => JSON.parse(l) as { speedKmh: number });
      return ds.reduce((s, d) => s + d.speedKmh, 0) / ds.length;
    };
    expect(meanSpeed(file('wet.ndjson'))).toBeLessThan(meanSpeed(file('dry.ndjson')) * 0.97);
  });

  it('refuses weather options without --weather', async () => {
    expect(await runCli(simulateCommand, ['--weather-out', file('x.ndjson')])).toEqual({ code: 2, err: "error: option '--weather-out' has no effect without --weather\n" });
  });
});

import { OptionError } from '@saferoads/loop-sensor/cli';
import { describe, expect, it } from 'vitest';
import { parseWeatherCompanion, parseWeatherOptions, type RawCompanionOptions, type RawWeatherOptions } from './options.js';

const NOW = Date.parse('2026-03-10T06:50:31Z');

function optionError(fn: () => unknown): [string, string] {
  try {
    fn();
  } catch (err) {
    if (err instanceof OptionError) return [err.option, err.message];
    throw err;
  }
  throw new Error('expected an OptionError');
}

describe('parseWeatherOptions', () => {
  it('has the documented defaults', () => {
    expect(parseWeatherOptions({}, NOW)).toEqual({
      seed: 1,
      minutes: 60,
      startMs: Date.parse('2026-03-10T06:50:00Z'),
      networkPath: undefined,
      intervalS: 300,
      stationSpacingKm: 8,
      temperatureOffsetC: 0,
      speed: 0,
      out: undefined,
      target: undefined,
      batchSize: 5_000,
      concurrency: 4,
      attempts: 6,
    });
  });

  it('posts http targets to the weather gateway, and reads --output as --out', () => {
    expect(parseWeatherOptions({ target: 'http://gw:8083' }, NOW).target).toEqual({ kind: 'http', endpoint: 'http://gw:8083/v1/weather/observations' });
    expect(parseWeatherOptions({ target: 'kafka://k1:9092,k2:9092' }, NOW).target).toEqual({ kind: 'kafka', brokers: ['k1:9092', 'k2:9092'] });
    expect(parseWeatherOptions({ output: 'w.ndjson' }, NOW).out).toBe('w.ndjson');
  });

  it.each<[RawWeatherOptions, string, string]>([
    [{ interval: '5' }, '--interval', 'must be between 10 and 86400, got 5'],
    [{ interval: '60.5' }, '--interval', 'must be a whole number, got 60.5'],
    [{ stationSpacing: '0' }, '--station-spacing', 'must be between 0.1 and 1000, got 0'],
    [{ temperatureOffset: '-40' }, '--temperature-offset', 'must be between -30 and 30, got -40'],
    [{ start: '2026-03-10T06:50' }, '--start', 'must be an ISO time with a UTC offset, e.g. 2026-03-10T06:50:00Z, got "2026-03-10T06:50"'],
    [{ out: 'a', output: 'b' }, '--output', 'is --out by another name: give one of them'],
    [{ target: 'http://gw' }, '--target', 'needs a port, e.g. http://localhost:8083, got "http://gw"'],
    [{ target: 'http://gw:8083', out: 'w.ndjson' }, '--target', 'cannot be combined with --out'],
    [{ batchSize: '10' }, '--batch-size', 'has no effect without --target'],
  ])('refuses %j', (raw, option, message) => {
    expect(optionError(() => parseWeatherOptions(raw, NOW))).toEqual([option, message]);
  });
});

describe('parseWeatherCompanion (saferoads simulate --weather)', () => {
  it('is off without --weather, and takes where the readings go with it', () => {
    expect(parseWeatherCompanion({})).toBeUndefined();
    expect(parseWeatherCompanion({ weather: true })).toEqual({ out: undefined, target: undefined, temperatureOffsetC: 0 });
    expect(parseWeatherCompanion({ weather: true, weatherTarget: 'http://gw:8083/ingest/', temperatureOffset: '-6' })).toEqual({
      out: undefined,
      target: { kind: 'http', endpoint: 'http://gw:8083/ingest/v1/weather/observations' },
      temperatureOffsetC: -6,
    });
  });

  it.each<[RawCompanionOptions, string, string]>([
    [{ weatherOut: 'w.ndjson' }, '--weather-out', 'has no effect without --weather'],
    [{ temperatureOffset: '-3' }, '--temperature-offset', 'has no effect without --weather'],
    [{ weather: true, weatherOut: 'w', weatherTarget: 'kafka://k:9092' }, '--weather-target', 'cannot be combined with --weather-out'],
    [{ weather: true, weatherTarget: 'ftp://k:21' }, '--weather-target', 'has unsupported scheme "ftp": use http://host:port, https://host:port or kafka://host:port[,host:port]'],
  ])('refuses %j', (raw, option, message) => {
    expect(optionError(() => parseWeatherCompanion(raw))).toEqual([option, message]);
  });
});

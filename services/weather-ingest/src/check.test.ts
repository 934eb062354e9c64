import { describe, expect, it } from 'vitest';
import { checkObservation, observationRecord } from './check.js';
import { observation, T0 } from './testing/harness.js';

const clock = { nowMs: T0, maxFutureMs: 300_000 };

describe('checkObservation', () => {
  it('accepts a valid reading as it is', () => {
    expect(checkObservation(observation('WS-1'), clock)).toEqual({ ok: true, record: observation('WS-1') });
  });

  it.each([
    ['a missing field', { ...observation('WS-1'), visibilityM: undefined }, 'schema', [{ field: 'visibilityM', reason: 'is required' }]],
    ['an unknown precipitation type', { ...observation('WS-1'), precipitationType: 'drizzle' }, 'schema', [{ field: 'precipitationType', reason: 'must be one of "none", "rain", "snow", "sleet", "hail"' }]],
    ['a negative wind', { ...observation('WS-1'), windSpeedMs: -1 }, 'schema', [{ field: 'windSpeedMs', reason: 'must be >= 0' }]],
    ['a latitude off the globe', { ...observation('WS-1'), lat: 91 }, 'schema', [{ field: 'lat', reason: 'must be <= 90' }]],
    ['a gust below the mean wind', { ...observation('WS-1'), windSpeedMs: 6, windGustMs: 4.5 }, 'inconsistent', [{ field: 'windGustMs', reason: '4.5 m/s is below windSpeedMs 6 m/s: a gust is the highest wind of the period' }]],
    ['a reading from 10 minutes ahead', observation('WS-1', 10), 'future', [{ field: 'ts', reason: '600 s ahead of the gateway clock (at most 300 s): check the station clock' }]],
  ])('refuses %s', (_what, value, reason, errors) => {
    expect(checkObservation(value, clock)).toEqual({ ok: false, reason, errors });
  });

  it('accepts a reading exactly at the future limit, and a gust equal to the mean', () => {
    expect(checkObservation({ ...observation('WS-1', 5), windGustMs: 3.5 }, clock).ok).toBe(true);
  });
});

describe('observationRecord', () => {
  it('keys by station, stamps the event time and keeps only contract fields, in contract order', () => {
    const o = { firmware: '2.1', ...observation('WS-7'), roadSurfaceState: 'wet' as const };
    expect(observationRecord(o)).toEqual({
      key: 'WS-7',
      value: JSON.stringify({ ...observation('WS-7'), roadSurfaceState: 'wet' }),
      timestamp: T0,
    });
  });
});

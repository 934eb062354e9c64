import { describe, expect, it } from 'vitest';
import { T0, obs } from '../testing/weather.js';
import { InMemoryWeatherTable } from './table.js';

describe('InMemoryWeatherTable', () => {
  it('keeps the newest reading per station; older and same-timestamp readings are ignored and say so', () => {
    const t = new InMemoryWeatherTable();
    expect(t.upsert(obs('A', { ts: T0, airTemperatureC: 1 }))).toBe('inserted');
    expect(t.upsert(obs('A', { ts: T0 + 60_000, airTemperatureC: 2 }))).toBe('updated');
    expect(t.upsert(obs('A', { ts: T0 + 30_000, airTemperatureC: 9 }))).toBe('older');
    expect(t.upsert(obs('A', { ts: T0 + 60_000, airTemperatureC: 8 }))).toBe('duplicate');
    expect(t.upsert(obs('B', { ts: T0 - 3_600_000 }))).toBe('inserted');
    expect(t.get('A')).toMatchObject({ ts: T0 + 60_000, airTemperatureC: 2 });
    expect(t.get('C')).toBeUndefined();
    expect(t.size).toBe(2);
    expect(t.version).toBe(3); // only accepted readings count
  });

  it('numbers stations by first appearance and logs additions and moves, not plain updates', () => {
    const t = new InMemoryWeatherTable();
    t.upsert(obs('A'));
    t.upsert(obs('B'));
    t.upsert(obs('A', { ts: T0 + 60_000 })); // same place
    t.upsert(obs('B', { ts: T0 + 60_000, lat: 47.3 })); // moved
    expect([t.at(0).stationId, t.at(1).stationId]).toEqual(['A', 'B']);
    expect(t.layoutVersion).toBe(3);
    expect([0, 1, 2].map((v) => t.layoutChangeAt(v))).toEqual([0, 1, 1]);
    expect(() => t.at(2)).toThrow('weather table has no slot 2 (size 2)');
    expect(() => t.layoutChangeAt(3)).toThrow(RangeError);
  });
});

import fc from 'fast-check';
import { weatherObservationValidator, type WeatherObservation } from '@saferoads/shared/contracts';
import { loadNetwork } from '@saferoads/shared/network';
import { describe, expect, it } from 'vitest';
import { weatherEffect } from './model/effects.js';
import { WeatherSimulator } from './simulator.js';
import type { WeatherSimulatorOptions } from './types.js';

const a13 = loadNetwork();
const MARCH = Date.parse('2026-03-10T06:50:00Z');
const JULY = Date.parse('2026-07-14T04:00:00Z');

const sim = (o: Partial<WeatherSimulatorOptions> = {}) => new WeatherSimulator({ network: a13, seed: 7, startMs: MARCH, minutes: 60, ...o });
const readings = (s: WeatherSimulator): WeatherObservation[] => [...s.batches()].flatMap((b) => b.observations);
const decimals = (v: number) => (String(v).split('.')[1] ?? '').length;

describe('WeatherSimulator', () => {
  const hour = readings(sim());

  it('gives the same readings for the same options, others for another seed, and a longer run starts with a shorter one', () => {
    expect(JSON.stringify(readings(sim()))).toBe(JSON.stringify(hour));
    expect(JSON.stringify(readings(sim({ seed: 8 })))).not.toBe(JSON.stringify(hour));
    expect(readings(sim({ minutes: 180 })).slice(0, hour.length)).toEqual(hour);
  });

  it('reads every station every interval, at the round\'s moment, batch by batch', () => {
    const s = sim({ intervalS: 600 });
    const batches = [...s.batches()];
    expect(batches.map((b) => b.fromMs)).toEqual([0, 1, 2, 3, 4, 5].map((k) => MARCH + k * 600_000));
    for (const b of batches) {
      expect(b.untilMs).toBe(b.fromMs);
      expect(b.observations.map((o) => [o.stationId, o.ts])).toEqual(s.stations.map((st) => [st.stationId, b.fromMs]));
    }
  });

  it('reports valid observations, rounded as sensors report them, with the road surface', () => {
    expect(hour).toHaveLength(5 * 12);
    for (const o of hour) {
      expect(weatherObservationValidator.check(o)).toEqual({ ok: true, value: o });
      expect(o.windGustMs).toBeGreaterThanOrEqual(o.windSpeedMs);
      expect([decimals(o.precipitationMmH), decimals(o.windSpeedMs), decimals(o.airTemperatureC)].every((d) => d <= 1)).toBe(true);
      expect(o.visibilityM % 10).toBe(0);
      expect(o.precipitationType === 'none').toBe(o.precipitationMmH === 0);
      expect(o.roadSurfaceState).toBeDefined();
    }
  });

  it('answers the same whatever order readings are asked in', () => {
    const forwards = sim();
    const backwards = sim();
    const station = forwards.stations[2];
    const times = [0, 15, 30, 45].map((m) => MARCH + m * 60_000);
    const later = times.map((t) => forwards.observe(station, t));
    const earlier = [...times].reverse().map((t) => backwards.observe(station, t)).reverse();
    expect(earlier).toEqual(later);
  });

  it('brings every run its first front: rain at every station within 90 minutes (in summer, when the air holds the water)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (seed) => {
        const s = sim({ seed, startMs: JULY, minutes: 90 });
        const wettest = new Map<string, number>();
        for (const o of readings(s)) wettest.set(o.stationId, Math.max(wettest.get(o.stationId) ?? 0, o.precipitationMmH));
        expect([...wettest.values()].every((mmH) => mmH >= 0.5)).toBe(true);
      }),
      { numRuns: 15 },
    );
  });

  it('snows and covers the roads in a cold spell, and rains on warm ones', () => {
    const cold = readings(sim({ temperatureOffsetC: -10, minutes: 120 }));
    const wet = cold.filter((o) => o.precipitationMmH > 0);
    expect(wet.length).toBeGreaterThan(10);
    expect(new Set(wet.map((o) => o.precipitationType))).toEqual(new Set(['snow']));
    expect(cold.some((o) => o.roadSurfaceState === 'snow')).toBe(true);
    expect(cold.every((o) => o.airTemperatureC < 0)).toBe(true);
    const warm = readings(sim({ startMs: JULY, minutes: 120 })).filter((o) => o.precipitationMmH > 0);
    expect(new Set(warm.map((o) => o.precipitationType))).toEqual(new Set(['rain']));
  });

  it('is warmer in the afternoon than before dawn, and colder up on the pass than in the valley', () => {
    const day = sim({ seed: 2, startMs: Date.parse('2026-07-20T00:00:00Z'), minutes: 24 * 60, intervalS: 3600 });
    const at = (stationId: string, utcHour: number) => day.observe(day.stations.find((s) => s.stationId === stationId)!, Date.parse(`2026-07-20T${String(utcHour).padStart(2, '0')}:00:00Z`));
    expect(at('WS-A13-S-001', 14).airTemperatureC - at('WS-A13-S-001', 4).airTemperatureC).toBeGreaterThan(3);
    expect(at('WS-A13-S-001', 10).airTemperatureC - at('WS-A13-N-001', 10).airTemperatureC).toBeGreaterThan(3);
  });

  it('gives the traffic model the effect of the weather its stations report, at each segment', () => {
    const s = sim();
    const effects = s.effects();
    const segment = a13.byId.get('A13-S-011')!;
    // Once per minute, at the middle of the minute: every step of the minute gets the same factors.
    for (let m = 0; m < 60; m += 5) {
      const t = MARCH + m * 60_000;
      const { weather, road } = s.conditionsOf(segment, t + 30_000);
      expect(effects(segment, t + 2_500)).toEqual(weatherEffect(weather, road));
      expect(effects(segment, t + 57_500)).toEqual(weatherEffect(weather, road));
    }
    // The front's heaviest snow slows the segment of the station that reports it.
    const station = s.stations.find((st) => st.segmentId === 'A13-S-011')!;
    const worst = hour.filter((o) => o.stationId === station.stationId).reduce((a, b) => (b.precipitationMmH > a.precipitationMmH ? b : a));
    expect(worst.precipitationMmH).toBeGreaterThan(1);
    expect(effects(segment, worst.ts).speed).toBeLessThan(0.9);
  });

  it('refuses bad options naming them', () => {
    expect(() => sim({ intervalS: 5 })).toThrow('intervalS must be a whole number of seconds in 10..86400');
    expect(() => sim({ minutes: 0 })).toThrow('minutes must be > 0');
    expect(() => sim({ temperatureOffsetC: 40 })).toThrow('temperatureOffsetC must be within -30..30');
  });
});

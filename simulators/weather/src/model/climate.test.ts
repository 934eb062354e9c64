import { describe, expect, it } from 'vitest';
import { dayOfYear, daylight, diurnalShape, seasonalMeanC, solarDay, solarHour } from './climate.js';

describe('climate', () => {
  it.each([
    [6, -1],
    [10.5, 0],
    [15, 1],
    [22.5, 0],
    [3, -Math.cos(Math.PI / 5)],
  ])('the daily cycle at %f h solar time is %f', (h, v) => {
    expect(diurnalShape(h)).toBeCloseTo(v, 12);
  });

  it('is continuous round the clock and lies in [-1, 1]', () => {
    for (let h = 0; h < 24; h += 0.01) {
      expect(Math.abs(diurnalShape(h + 0.01) - diurnalShape(h))).toBeLessThan(0.01);
      expect(Math.abs(diurnalShape(h))).toBeLessThanOrEqual(1);
    }
  });

  it('has the Alpine valley season: about -1 °C in mid-January, 19 °C in mid-July', () => {
    expect(seasonalMeanC(15)).toBeCloseTo(-1.3, 1);
    expect(seasonalMeanC(197.6)).toBeCloseTo(19.3, 1);
  });

  it('keeps solar time: noon at Innsbruck (11.4° E) is 11:14 UTC', () => {
    const t = Date.parse('2026-03-10T11:14:24Z');
    expect(solarHour(t, 11.4)).toBeCloseTo(12, 6);
    expect(dayOfYear(Date.parse('2026-03-10T12:00:00Z'))).toBeCloseTo(68.5, 9);
    expect(solarDay(Date.parse('2026-03-10T23:30:00Z'), 11.4)).toBe(solarDay(Date.parse('2026-03-11T01:00:00Z'), 11.4));
    expect(daylight(12)).toBe(1);
    expect(daylight(3)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { factorLabel, formatAge, formatFactors, formatNumber, formatTime } from './format.js';

describe('formatting', () => {
  it('names the factors for operators, and passes unknown names through', () => {
    expect(factorLabel('gaps')).toBe('Short gaps');
    expect(factorLabel('newGroup')).toBe('newGroup');
    expect(formatFactors([{ name: 'gaps', share: 0.624 }, { name: 'speed', share: 0.21 }, { name: 'wind', share: 0.1 }, { name: 'light', share: 0.066 }])).toBe('Short gaps 62 %, Speed 21 %, Wind 10 %');
    expect(formatFactors([])).toBe('no factor raises the risk');
  });

  it.each([
    [Date.UTC(2026, 11, 4, 13, 5, 9), 'Europe/Vienna', false, '14:05'],
    [Date.UTC(2026, 6, 4, 13, 5, 9), 'Europe/Vienna', true, '15:05:09'],
    [Date.UTC(2026, 11, 4, 0, 0, 0), 'UTC', false, '00:00'],
  ])('formats %d in %s as hh:mm (seconds %s): %s', (ms, zone, seconds, text) => {
    expect(formatTime(ms, zone, seconds)).toBe(text);
  });

  it.each([
    [0, 'just now'],
    [9_000, 'just now'],
    [45_000, '45 s ago'],
    [61_000, '1 min ago'],
    [3_599_000, '59 min ago'],
    [7_300_000, '2 h ago'],
  ])('an update %d ms old is %s', (age, text) => {
    expect(formatAge(1_000_000_000 - age, 1_000_000_000)).toBe(text);
  });

  it('shows a dash for a missing number', () => {
    expect(formatNumber(null, 0, 'km/h')).toBe('–');
    expect(formatNumber(87.26, 1, 'km/h')).toBe('87.3 km/h');
  });
});

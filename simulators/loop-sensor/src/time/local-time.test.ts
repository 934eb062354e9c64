import { describe, expect, it } from 'vitest';
import { LocalClock, localClock } from './local-time.js';

describe('LocalClock', () => {
  const vienna = new LocalClock('Europe/Vienna');

  it('converts to local weekday, hour and month', () => {
    // 2026-03-10 is a Tuesday; Vienna is UTC+1 in winter.
    expect(vienna.at(Date.parse('2026-03-10T06:50:00Z'))).toEqual({ isoDow: 2, hour: 7 + 50 / 60, month: 3 });
    expect(vienna.at(Date.parse('2026-07-04T07:00:00Z'))).toEqual({ isoDow: 6, hour: 9, month: 7 });
  });

  it('follows the change to summer time', () => {
    expect(vienna.offsetMs(Date.parse('2026-03-29T00:30:00Z'))).toBe(3_600_000);
    expect(vienna.offsetMs(Date.parse('2026-03-29T01:30:00Z'))).toBe(7_200_000);
    expect(vienna.at(Date.parse('2026-03-29T01:30:00Z')).hour).toBe(3.5);
  });

  it('rolls the weekday over at local midnight, not UTC midnight', () => {
    // Sunday 23:30 UTC is already Monday 00:30 in Vienna.
    expect(vienna.at(Date.parse('2026-03-15T23:30:00Z'))).toEqual({ isoDow: 1, hour: 0.5, month: 3 });
  });

  it('shares one clock per zone and rejects unknown zones', () => {
    expect(localClock('Europe/Vienna')).toBe(localClock('Europe/Vienna'));
    expect(() => new LocalClock('Mars/Olympus')).toThrow(RangeError);
  });
});

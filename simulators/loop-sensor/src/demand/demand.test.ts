import { describe, expect, it } from 'vitest';
import { LocalClock } from '../time/local-time.js';
import { mainlineDemand, offRampShare, onRampShare } from './demand.js';
import type { Heading } from './profiles.js';

const vienna = new LocalClock('Europe/Vienna');
const at = (iso: string) => vienna.at(Date.parse(iso));
const total = (iso: string, h: Heading) => {
  const d = mainlineDemand(at(iso), h);
  return d.carsPerHour + d.trucksPerHour;
};
const truckShare = (iso: string, h: Heading) => {
  const d = mainlineDemand(at(iso), h);
  return d.trucksPerHour / (d.carsPerHour + d.trucksPerHour);
};

/** Vehicles over one local day, integrated in 5-minute steps. */
function daily(localMidnightIso: string, h: Heading): { all: number; trucks: number } {
  const t0 = Date.parse(localMidnightIso);
  let all = 0;
  let trucks = 0;
  for (let m = 2.5; m < 24 * 60; m += 5) {
    const d = mainlineDemand(vienna.at(t0 + m * 60_000), h);
    all += ((d.carsPerHour + d.trucksPerHour) * 5) / 60;
    trucks += (d.trucksPerHour * 5) / 60;
  }
  return { all, trucks };
}

describe('demand profiles', () => {
  it('is far lower at 03:00 than at 07:30 on a weekday', () => {
    expect(total('2026-03-10T02:00:00Z', 'inbound')).toBeLessThan(total('2026-03-10T06:30:00Z', 'inbound') / 4);
    expect(total('2026-03-10T02:00:00Z', 'outbound')).toBeLessThan(total('2026-03-10T06:30:00Z', 'outbound') / 3);
  });

  it('puts the weekday morning peak inbound and the evening peak outbound', () => {
    expect(total('2026-03-10T06:30:00Z', 'inbound')).toBeGreaterThan(1.4 * total('2026-03-10T06:30:00Z', 'outbound'));
    expect(total('2026-03-10T16:00:00Z', 'outbound')).toBeGreaterThan(total('2026-03-10T06:30:00Z', 'outbound'));
  });

  it('gives 15-20k vehicles per direction on a weekday with ~25 % heavy vehicles', () => {
    for (const h of ['inbound', 'outbound'] as const) {
      // 2026-05-12 is a Tuesday in a month with seasonal factor 1.
      const d = daily('2026-05-11T22:00:00Z', h);
      expect(d.all).toBeGreaterThan(15_000);
      expect(d.all).toBeLessThan(20_000);
      expect(d.trucks / d.all).toBeGreaterThan(0.2);
      expect(d.trucks / d.all).toBeLessThan(0.3);
    }
  });

  it('has a high truck share at night, 20-30 % by day and almost none on Sunday (driving ban)', () => {
    expect(truckShare('2026-03-10T02:00:00Z', 'inbound')).toBeGreaterThan(0.5);
    expect(truckShare('2026-03-10T10:00:00Z', 'inbound')).toBeGreaterThan(0.2);
    expect(truckShare('2026-03-10T10:00:00Z', 'inbound')).toBeLessThan(0.3);
    expect(truckShare('2026-03-15T11:00:00Z', 'outbound')).toBeLessThan(0.03);
    // The ban ends at 22:00 on Sunday and the lorries roll.
    expect(truckShare('2026-03-15T22:00:00Z', 'outbound')).toBeGreaterThan(0.5);
  });

  it('sends the holiday traffic south on Friday afternoon and Saturday morning', () => {
    expect(total('2026-03-13T14:30:00Z', 'outbound')).toBeGreaterThan(1.15 * total('2026-03-10T14:30:00Z', 'outbound'));
    expect(total('2026-07-04T07:30:00Z', 'outbound')).toBeGreaterThan(1.8 * total('2026-07-04T07:30:00Z', 'inbound'));
  });

  it('is continuous over hour boundaries and midnight', () => {
    const before = total('2026-03-10T22:59:59Z', 'inbound');
    const after = total('2026-03-10T23:00:01Z', 'inbound');
    expect(Math.abs(after - before) / before).toBeLessThan(0.01);
    const h1 = total('2026-03-10T06:59:59Z', 'inbound');
    expect(Math.abs(total('2026-03-10T07:00:01Z', 'inbound') - h1) / h1).toBeLessThan(0.01);
  });

  it('boosts on-ramps inbound in the morning and off-ramps outbound in the evening', () => {
    expect(onRampShare(at('2026-03-10T06:30:00Z'), 'inbound')).toBeCloseTo(0.05 * 2.5, 2);
    expect(onRampShare(at('2026-03-10T06:30:00Z'), 'outbound')).toBe(0.05);
    expect(offRampShare(at('2026-03-10T16:00:00Z'), 'outbound')).toBeCloseTo(0.125, 3);
    expect(onRampShare(at('2026-03-14T06:30:00Z'), 'inbound')).toBe(0.05);
  });
});

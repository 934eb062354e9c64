import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZoneClock, isoDayOfWeek, localDayNumber } from './zone-clock.js';

const H = 3_600_000;

/** The oracle: the runtime's own Intl offset name, e.g. "GMT+05:45" (plain "GMT" at zero). */
function intlOffsetMs(zone: string, t: number): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(t))
    .find((p) => p.type === 'timeZoneName')!.value;
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name)!;
  if (m[1] === undefined) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

describe('ZoneClock', () => {
  it.each([
    ['Europe/Vienna', '2026-01-15T12:00:00.000Z', 1 * H],
    ['Europe/Vienna', '2026-03-29T00:59:59.999Z', 1 * H], // last ms of CET
    ['Europe/Vienna', '2026-03-29T01:00:00.000Z', 2 * H], // CEST from 02:00 local
    ['Europe/Vienna', '2026-10-25T00:59:59.999Z', 2 * H],
    ['Europe/Vienna', '2026-10-25T01:00:00.000Z', 1 * H],
    ['Asia/Kathmandu', '2026-06-01T00:00:00.000Z', 5.75 * H],
    ['America/St_Johns', '2026-01-10T03:00:00.000Z', -3.5 * H],
    // Lord Howe Island moves its clocks by half an hour at 02:00 local, 15:30 UTC: inside a UTC hour.
    ['Australia/Lord_Howe', '2026-10-03T15:29:59.999Z', 10.5 * H],
    ['Australia/Lord_Howe', '2026-10-03T15:30:00.000Z', 11 * H],
  ])('%s at %s is UTC%+d ms', (zone, iso, want) => {
    const clock = new ZoneClock(zone);
    expect(clock.offsetMs(Date.parse(iso))).toBe(want);
  });

  it('inside one cached hour with a change, both sides come out right in any order', () => {
    const clock = new ZoneClock('Australia/Lord_Howe');
    const change = Date.parse('2026-10-03T15:30:00.000Z');
    expect([change + 60_000, change - 1, change, change - 60_000].map((t) => clock.offsetMs(t) / H)).toEqual([11, 10.5, 11, 10.5]);
  });

  it('agrees with the runtime Intl offset at any instant, whatever was asked before (property)', () => {
    const zones = ['Europe/Vienna', 'Europe/Berlin', 'Australia/Lord_Howe', 'America/New_York', 'Asia/Kathmandu', 'Pacific/Chatham', 'UTC'];
    const clocks = new Map(zones.map((z) => [z, new ZoneClock(z)]));
    // Instants near real changes (every 30 minutes around 1 am to 4 am UTC on change days) and anywhere.
    const instant = fc.oneof(
      fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
      fc.constantFrom(Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1), Date.UTC(2026, 9, 3, 15, 30), Date.UTC(2026, 3, 4, 15), Date.UTC(2026, 2, 8, 7)).chain((t) =>
        fc.integer({ min: -2 * H, max: 2 * H }).map((d) => t + d),
      ),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...zones), instant), { minLength: 1, maxLength: 30 }), (asks) => {
        for (const [zone, t] of asks) expect(clocks.get(zone)!.offsetMs(t)).toBe(intlOffsetMs(zone, t));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a zone the runtime does not know', () => {
    expect(() => new ZoneClock('Europe/Atlantis')).toThrow('unknown time zone "Europe/Atlantis"');
  });
});

describe('local days', () => {
  it.each([
    ['1970-01-01', 4], // a Thursday
    ['2026-10-26', 1], // Monday, Austria's national day
    ['2026-10-03', 6], // Saturday
    ['2026-10-04', 7],
    ['1969-12-31', 3],
  ])('%s is ISO day %d', (date, dow) => {
    expect(isoDayOfWeek(localDayNumber(Date.parse(`${date}T12:00:00Z`)))).toBe(dow);
  });

  it('the local day starts at local midnight: 23:30 UTC on 25 October is 26 October in Vienna', () => {
    const t = Date.parse('2026-10-25T23:30:00Z');
    const local = t + new ZoneClock('Europe/Vienna').offsetMs(t);
    expect(localDayNumber(local)).toBe(Date.UTC(2026, 9, 26) / 86_400_000);
    expect(localDayNumber(t)).toBe(Date.UTC(2026, 9, 25) / 86_400_000);
  });
});

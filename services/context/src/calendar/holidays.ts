import Holidays from 'date-holidays';
import { DAY_MS } from './zone-clock.js';

/** The date-holidays types that count as a public holiday. Bank, school, optional and observance days do not. */
export const COUNTED_HOLIDAY_TYPES: readonly string[] = ['public'];

/** Days since 1970-01-01 of a calendar date "YYYY-MM-DD..." (the rest of the string is ignored). */
export function dayNumberOfDate(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

/** Why date-holidays cannot give the holidays of this country and region (empty when it can). */
export function holidayCalendarProblems(country: string, region: string | undefined): string[] {
  const hd = new Holidays();
  const countries = hd.getCountries() as Record<string, string> | undefined;
  if (!countries || !(country in countries)) return [`date-holidays knows no country "${country}"`];
  if (region === undefined) return [];
  const states = hd.getStates(country) as Record<string, string> | undefined;
  if (!states || !(region in states)) {
    const known = states ? Object.keys(states).join(', ') : 'none';
    return [`date-holidays knows no region "${region}" of ${country} (known: ${known})`];
  }
  return [];
}

/**
 * Public holidays of one country (and region), from date-holidays, as local calendar days. A
 * year's list is built on first use and kept: a lookup is a Set membership test.
 */
export class HolidayCalendar {
  private readonly hd: Holidays;
  private readonly years = new Map<number, ReadonlySet<number>>();

  constructor(
    readonly country: string,
    readonly region?: string,
  ) {
    const problems = holidayCalendarProblems(country, region);
    if (problems.length > 0) throw new RangeError(problems.join('; '));
    this.hd = region === undefined ? new Holidays(country) : new Holidays(country, region);
  }

  /** Local calendar days (days since 1970-01-01) that are public holidays in `year`. */
  publicHolidays(year: number): ReadonlySet<number> {
    let days = this.years.get(year);
    if (days === undefined) {
      days = new Set(
        this.hd
          .getHolidays(year)
          .filter((h) => COUNTED_HOLIDAY_TYPES.includes(h.type))
          .map((h) => dayNumberOfDate(h.date)),
      );
      this.years.set(year, days);
    }
    return days;
  }

  /** Whether the local calendar day `day` (days since 1970-01-01) is a public holiday. */
  isPublicHoliday(day: number): boolean {
    return this.publicHolidays(new Date(day * DAY_MS).getUTCFullYear()).has(day);
  }

  /** Names of the public holidays on local day `day` (for people: tests, docs, explanations). */
  namesOn(day: number): string[] {
    const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    return this.hd
      .getHolidays(Number(date.slice(0, 4)))
      .filter((h) => COUNTED_HOLIDAY_TYPES.includes(h.type) && h.date.startsWith(date))
      .map((h) => h.name);
  }
}

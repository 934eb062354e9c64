import { getTimezoneOffset } from 'date-fns-tz';

const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/**
 * UTC offset of one IANA time zone, from date-fns-tz, cached per UTC hour: asking the zone
 * database costs tens of microseconds, a cached hour a comparison. An hour that holds a change
 * of offset (zones whose clocks change off the UTC hour, like Australia/Lord_Howe) is cached as
 * well, with the instant of the change found once by bisection.
 */
export class ZoneClock {
  private hourStart = NaN;
  private before = 0;
  private after = 0;
  private changeAt = Infinity;

  constructor(readonly zone: string) {
    if (Number.isNaN(getTimezoneOffset(zone, new Date(0)))) throw new RangeError(`unknown time zone "${zone}"`);
  }

  /** Local time minus UTC at `utcMs`, ms. */
  offsetMs(utcMs: number): number {
    const h = Math.floor(utcMs / HOUR_MS) * HOUR_MS;
    if (h !== this.hourStart) this.load(h);
    return utcMs < this.changeAt ? this.before : this.after;
  }

  private load(h: number): void {
    this.hourStart = h;
    this.before = getTimezoneOffset(this.zone, new Date(h));
    this.after = getTimezoneOffset(this.zone, new Date(h + HOUR_MS - 1));
    if (this.before === this.after) {
      this.changeAt = Infinity;
      return;
    }
    // At most one change per hour: bisect for the first millisecond with the new offset.
    let lo = h;
    let hi = h + HOUR_MS - 1;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (getTimezoneOffset(this.zone, new Date(mid)) === this.before) lo = mid;
      else hi = mid;
    }
    this.changeAt = hi;
  }
}

/** Days since 1970-01-01 of a local time given as "local epoch ms" (utc + offset). */
export function localDayNumber(localMs: number): number {
  return Math.floor(localMs / DAY_MS);
}

/** ISO day of the week, 1 Monday .. 7 Sunday, of a day number (day 0, 1970-01-01, was a Thursday). */
export function isoDayOfWeek(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

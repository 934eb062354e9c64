import { formatInTimeZone } from 'date-fns-tz';

const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/**
 * UTC offset of `zone` at the instant `utcMs`, from date-fns-tz. Its `getTimezoneOffset` reads the
 * date as a wall-clock time in the process's own zone, so the offset comes from the `xxx` token of
 * `formatInTimeZone` instead, which is computed from the instant whatever TZ the process runs in.
 */
export function zoneOffsetMs(zone: string, utcMs: number): number {
  const text = formatInTimeZone(utcMs, zone, 'xxx'); // "+02:00", "-03:30", "+00:00"
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(text);
  if (m === null) throw new RangeError(`unexpected offset "${text}" for time zone "${zone}"`);
  const ms = (Number(m[2]) * 60 + Number(m[3])) * 60_000;
  return m[1] === '-' ? -ms : ms;
}

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
    try {
      zoneOffsetMs(zone, 0);
    } catch {
      throw new RangeError(`unknown time zone "${zone}"`);
    }
  }

  /** Local time minus UTC at `utcMs`, ms. */
  offsetMs(utcMs: number): number {
    const h = Math.floor(utcMs / HOUR_MS) * HOUR_MS;
    if (h !== this.hourStart) this.load(h);
    return utcMs < this.changeAt ? this.before : this.after;
  }

  private load(h: number): void {
    this.hourStart = h;
    this.before = zoneOffsetMs(this.zone, h);
    this.after = zoneOffsetMs(this.zone, h + HOUR_MS - 1);
    if (this.before === this.after) {
      this.changeAt = Infinity;
      return;
    }
    // At most one change per hour: bisect for the first millisecond with the new offset.
    let lo = h;
    let hi = h + HOUR_MS - 1;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (zoneOffsetMs(this.zone, mid) === this.before) lo = mid;
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

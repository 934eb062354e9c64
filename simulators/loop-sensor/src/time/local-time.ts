/** Wall-clock calendar fields in a road's timezone: what drivers' routines follow. */
export interface LocalTime {
  /** ISO day of week: 1 = Monday .. 7 = Sunday. */
  readonly isoDow: number;
  /** Hours since local midnight, fractional (07:30 -> 7.5). */
  readonly hour: number;
  /** 1 = January .. 12 = December. */
  readonly month: number;
}

const QUARTER_HOUR_MS = 900_000;

/**
 * Converts instants to local time in one IANA timezone. Uses Intl (no dependency, and no
 * host-timezone pitfalls of shifting Date objects); the UTC offset is cached per quarter hour,
 * the finest granularity at which real timezones change offset.
 */
export class LocalClock {
  private readonly fmt: Intl.DateTimeFormat;
  private cachedBucket = NaN;
  private cachedOffsetMs = 0;

  constructor(readonly timeZone: string) {
    // Throws RangeError for an unknown zone: callers validate the network with it.
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Local minus UTC in milliseconds at the instant. */
  offsetMs(epochMs: number): number {
    const bucket = Math.floor(epochMs / QUARTER_HOUR_MS);
    if (bucket !== this.cachedBucket) {
      const at = bucket * QUARTER_HOUR_MS;
      const p: Record<string, number> = {};
      for (const part of this.fmt.formatToParts(at)) {
        if (part.type !== 'literal') p[part.type] = Number(part.value);
      }
      const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
      this.cachedOffsetMs = asUtc - at;
      this.cachedBucket = bucket;
    }
    return this.cachedOffsetMs;
  }

  at(epochMs: number): LocalTime {
    const local = new Date(epochMs + this.offsetMs(epochMs));
    const dow = local.getUTCDay();
    return {
      isoDow: dow === 0 ? 7 : dow,
      hour: local.getUTCHours() + local.getUTCMinutes() / 60 + local.getUTCSeconds() / 3600,
      month: local.getUTCMonth() + 1,
    };
  }
}

const clocks = new Map<string, LocalClock>();

/** Shared per-zone clocks: the formatter is the expensive part. */
export function localClock(timeZone: string): LocalClock {
  let c = clocks.get(timeZone);
  if (!c) {
    c = new LocalClock(timeZone);
    clocks.set(timeZone, c);
  }
  return c;
}

import type { BusRecord } from '@saferoads/shared/bus';
import { weatherObservationValidator, WeatherObservationSchema, type WeatherObservation } from '@saferoads/shared/contracts';
import { checkEntries, contractFields, type BatchEntry, type Checked, type CheckedBatch } from '@saferoads/shared/ingest';

/** Why a reading was refused: the `reason` label of the rejected-records counter. */
export const REJECT_REASONS = ['schema', 'inconsistent', 'future', 'malformed'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface ObservationCheck {
  /** The gateway's clock, epoch ms. */
  readonly nowMs: number;
  /** How far ahead of nowMs a reading may be. */
  readonly maxFutureMs: number;
}

/**
 * One reading against the contract, then against sense: a gust is the highest wind of the
 * period, so it cannot be below the mean; and a reading from the future (a station clock gone
 * wrong) would stay the station's "latest" in every scorer's table until the clock caught up.
 */
export function checkObservation(value: unknown, c: ObservationCheck): Checked<WeatherObservation, Exclude<RejectReason, 'malformed'>> {
  const v = weatherObservationValidator.check(value);
  if (!v.ok) return { ok: false, reason: 'schema', errors: v.errors };
  const o = v.value;
  if (o.windGustMs !== undefined && o.windGustMs < o.windSpeedMs) {
    return { ok: false, reason: 'inconsistent', errors: [{ field: 'windGustMs', reason: `${o.windGustMs} m/s is below windSpeedMs ${o.windSpeedMs} m/s: a gust is the highest wind of the period` }] };
  }
  if (o.ts > c.nowMs + c.maxFutureMs) {
    const ahead = Math.round((o.ts - c.nowMs) / 1000);
    return { ok: false, reason: 'future', errors: [{ field: 'ts', reason: `${ahead} s ahead of the gateway clock (at most ${c.maxFutureMs / 1000} s): check the station clock` }] };
  }
  return { ok: true, record: o };
}

export function checkObservations(entries: readonly BatchEntry[], c: ObservationCheck): CheckedBatch<WeatherObservation, RejectReason> {
  return checkEntries(entries, (value) => checkObservation(value, c));
}

const observationFields = contractFields(WeatherObservationSchema);

/** weather.observations: keyed by station, so a station's readings share a partition; event time as the timestamp. */
export function observationRecord(o: WeatherObservation): BusRecord {
  return { key: o.stationId, value: JSON.stringify(observationFields(o)), timestamp: o.ts };
}

import type { WeatherObservation } from '@saferoads/shared/contracts';

/**
 * What `upsert` did with an observation:
 * - `inserted`: first reading of a new station;
 * - `updated`: newer than the station's latest reading (a station that moved counts as updated);
 * - `older`: older than the latest reading, ignored (out-of-order delivery or a replay);
 * - `duplicate`: same `ts` as the latest reading, ignored (the first one for a timestamp wins,
 *   so a replay of the same topic gives the same table).
 */
export type UpsertOutcome = 'inserted' | 'updated' | 'older' | 'duplicate';

/**
 * The latest observation of every weather station: the global weather table every scorer holds.
 *
 * Stations are numbered in the order they first appear (`slot` 0..size-1) and keep their number,
 * so readers can keep per-slot state (distances to their segments) and catch up with
 * `layoutVersion` / `layoutChangeAt` instead of rescanning every station.
 */
export interface WeatherTable {
  upsert(obs: WeatherObservation): UpsertOutcome;
  get(stationId: string): WeatherObservation | undefined;
  /** Number of stations. */
  readonly size: number;
  /** The latest observation of the station in `slot` (0 <= slot < size). */
  at(slot: number): WeatherObservation;
  /** Bumped by every accepted (`inserted` or `updated`) observation. */
  readonly version: number;
  /** Bumped when a station is added or its position changes. */
  readonly layoutVersion: number;
  /** The slot whose position changed (or that was added) when layoutVersion went from v to v + 1. */
  layoutChangeAt(v: number): number;
}

/** The in-memory weather table: a few hundred bytes per station. */
export class InMemoryWeatherTable implements WeatherTable {
  private readonly slots: WeatherObservation[] = [];
  private readonly slotById = new Map<string, number>();
  private readonly layoutLog: number[] = [];
  private versionCount = 0;

  upsert(obs: WeatherObservation): UpsertOutcome {
    const slot = this.slotById.get(obs.stationId);
    if (slot === undefined) {
      this.slotById.set(obs.stationId, this.slots.length);
      this.layoutLog.push(this.slots.length);
      this.slots.push(obs);
      this.versionCount++;
      return 'inserted';
    }
    const prev = this.slots[slot];
    if (obs.ts < prev.ts) return 'older';
    if (obs.ts === prev.ts) return 'duplicate';
    if (obs.lat !== prev.lat || obs.lon !== prev.lon) this.layoutLog.push(slot);
    this.slots[slot] = obs;
    this.versionCount++;
    return 'updated';
  }

  get(stationId: string): WeatherObservation | undefined {
    const slot = this.slotById.get(stationId);
    return slot === undefined ? undefined : this.slots[slot];
  }

  get size(): number {
    return this.slots.length;
  }

  at(slot: number): WeatherObservation {
    const obs = this.slots[slot];
    if (obs === undefined) throw new RangeError(`weather table has no slot ${slot} (size ${this.slots.length})`);
    return obs;
  }

  get version(): number {
    return this.versionCount;
  }

  get layoutVersion(): number {
    return this.layoutLog.length;
  }

  layoutChangeAt(v: number): number {
    const slot = this.layoutLog[v];
    if (slot === undefined) throw new RangeError(`weather table has no layout change ${v} (layoutVersion ${this.layoutLog.length})`);
    return slot;
  }
}

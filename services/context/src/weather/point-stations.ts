import { distance } from '@turf/turf';
import type { WeatherTable } from './table.js';

const M_PER_DEG_LAT = 111_320;

/**
 * For a fixed set of points (segment midpoints), the table's stations within `radiusM` of each,
 * nearest first (ties by slot), with their geodesic distances. Kept in step with the table's
 * layout log, so only stations added or moved since the last `sync` are measured: a table whose
 * stations only report new readings costs one comparison per `sync`.
 */
export class PointStations {
  private readonly slots: number[][];
  private readonly dists: number[][];
  private table: WeatherTable | undefined;
  private seenLayout = 0;
  private readonly latMarginDeg: number;

  constructor(
    private readonly lats: ArrayLike<number>,
    private readonly lons: ArrayLike<number>,
    private readonly radiusM: number,
  ) {
    this.slots = Array.from({ length: lats.length }, () => []);
    this.dists = Array.from({ length: lats.length }, () => []);
    // A station more than radius (plus slack) away in latitude alone cannot be in range: skip turf.
    this.latMarginDeg = (radiusM * 1.01) / M_PER_DEG_LAT + 1e-6;
  }

  /** Catches up with stations added or moved in `table` (or starts over for a different table). */
  sync(table: WeatherTable): void {
    if (table !== this.table) {
      this.table = table;
      this.seenLayout = 0;
      for (const s of this.slots) s.length = 0;
      for (const d of this.dists) d.length = 0;
    }
    const target = table.layoutVersion;
    for (let v = this.seenLayout; v < target; v++) this.place(table, table.layoutChangeAt(v));
    this.seenLayout = target;
  }

  private place(table: WeatherTable, slot: number): void {
    const obs = table.at(slot);
    const at: [number, number] = [obs.lon, obs.lat];
    for (let p = 0; p < this.lats.length; p++) {
      const slots = this.slots[p];
      const dists = this.dists[p];
      const old = slots.indexOf(slot);
      if (old >= 0) {
        slots.splice(old, 1);
        dists.splice(old, 1);
      }
      if (Math.abs(obs.lat - this.lats[p]) > this.latMarginDeg) continue;
      const d = distance([this.lons[p], this.lats[p]], at, { units: 'meters' });
      if (d > this.radiusM) continue;
      let i = dists.length;
      while (i > 0 && (dists[i - 1] > d || (dists[i - 1] === d && slots[i - 1] > slot))) i--;
      slots.splice(i, 0, slot);
      dists.splice(i, 0, d);
    }
  }

  /** Slots of the stations in range of point `p`, nearest first. */
  slotsOf(p: number): readonly number[] {
    return this.slots[p];
  }

  /** Their distances from point `p`, m. */
  distancesOf(p: number): readonly number[] {
    return this.dists[p];
  }
}

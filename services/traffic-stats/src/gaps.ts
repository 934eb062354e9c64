/** A vehicle as gap derivation needs it. */
export interface LaneVehicle {
  readonly ts: number;
  readonly speedKmh: number;
  readonly lengthM: number;
  readonly gapS?: number;
}

/**
 * Time gap (s) between the rear of the previous vehicle in the lane and the front of this one:
 * gap = (t_i - t_{i-1}) - L_{i-1} / v_{i-1}, never below zero (overlap is measurement noise).
 */
export function derivedGapS(prev: LaneVehicle, cur: LaneVehicle): number {
  const g = (cur.ts - prev.ts) / 1000 - prev.lengthM / (prev.speedKmh / 3.6);
  return g > 0 ? g : 0;
}

/**
 * Puts one lane's vehicles back in event-time order before gaps are derived. Vehicles wait
 * until the watermark passes them; since later arrivals within the out-of-orderness bound cannot
 * precede the watermark, each vehicle's predecessor is then final. Pending holds only the
 * vehicles of the last few seconds, so state stays O(lanes).
 */
export class LaneGaps {
  private prev: LaneVehicle | null = null;
  /** Vehicles the watermark has not passed yet, in event-time order: a handful at most. */
  private readonly pending: LaneVehicle[] = [];

  /** Queues a vehicle that arrived at or after the watermark. */
  push(v: LaneVehicle): void {
    const q = this.pending;
    // Arrival order within a lane is almost always event-time order: append, else insert after equals.
    let i = q.length;
    while (i > 0 && q[i - 1].ts > v.ts) i--;
    if (i === q.length) q.push(v);
    else q.splice(i, 0, v);
  }

  /** Derives gaps for every queued vehicle with ts <= watermark, in event-time order. */
  settle(watermarkMs: number, onGap: (v: LaneVehicle, gapS: number) => void): void {
    const q = this.pending;
    while (q.length > 0 && q[0].ts <= watermarkMs) {
      const v = q.shift() as LaneVehicle;
      if (v.gapS !== undefined) onGap(v, v.gapS);
      else if (this.prev !== null) onGap(v, derivedGapS(this.prev, v));
      this.prev = v;
    }
  }

  get pendingCount(): number {
    return this.pending.length;
  }
}

import type { Incident } from '@saferoads/loop-sensor';
import type { Network } from '@saferoads/shared/network';
import { crashUniform, mix32 } from '../draw.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** One simulated run of the dataset: its own seed, date, demand, temperature and incidents. */
export interface RunPlan {
  /** `<seed>-<k>`: the CSV's run column; training holds out whole runs. */
  readonly id: string;
  readonly index: number;
  readonly seed: number;
  readonly startMs: number;
  readonly minutes: number;
  readonly demandFactor: number;
  /** Added to every temperature of the weather simulator: cold runs bring snow and ice. */
  readonly temperatureOffsetC: number;
  readonly incidents: readonly Incident[];
  /** A share of the weather stations silent from fromMs to toMs (their readings go stale), or none. */
  readonly stationOutage: { readonly share: number; readonly fromMs: number; readonly toMs: number } | null;
}

export interface PlanOptions {
  readonly network: Network;
  readonly seed: number;
  readonly runs: number;
  /** Length of each run (default 1440: a whole day, so every hour and light condition appears). */
  readonly minutes?: number;
  /** The year the run dates are drawn from (default 2026). */
  readonly year?: number;
}

/** A deterministic stream of uniforms for one run's choices. */
function draws(seed: number, k: number): () => number {
  let n = 0;
  return () => crashUniform(mix32(seed) ^ 0x2545f491, `plan-${k}`, n++ * MINUTE_MS);
}

/**
 * The runs of a dataset, each drawn from the seed alone: a date anywhere in the year (so winter
 * snow, summer glare, long and short nights all appear), a demand factor from 0.9 to 1.55 (1.6
 * jams the A13 at its lane drop on a summer Saturday), a temperature offset from -5 to +3 °C, a
 * Poisson number of incidents (mean 3 a day: breakdowns on the shoulder, one or two lanes closed
 * for 15-90 minutes) and, in a third of the runs, a share of the weather stations silent for
 * 2-8 hours.
 */
export function planRuns(o: PlanOptions): RunPlan[] {
  const minutes = o.minutes ?? 1440;
  if (!Number.isSafeInteger(o.seed)) throw new RangeError(`seed must be an integer, got ${o.seed}`);
  if (!(Number.isInteger(o.runs) && o.runs >= 1)) throw new RangeError(`runs must be a whole number >= 1, got ${o.runs}`);
  if (!(Number.isInteger(minutes) && minutes >= 30)) throw new RangeError(`minutes must be a whole number >= 30, got ${minutes}`);
  const segments = o.network.segments;
  const yearStart = Date.UTC(o.year ?? 2026, 0, 1);
  return Array.from({ length: o.runs }, (_, k): RunPlan => {
    const u = draws(o.seed, k);
    // Fixed draws first, so a run's day, demand and weather do not change with its length.
    const day = Math.floor(u() * 365);
    const startMs = yearStart + day * DAY_MS + Math.floor(u() * 24) * 3_600_000;
    const demandFactor = Math.round((0.9 + 0.65 * u()) * 100) / 100;
    const temperatureOffsetC = Math.round((-5 + 8 * u()) * 10) / 10;
    const span = minutes * MINUTE_MS;
    const outage = u() < 1 / 3;
    const outageShare = 0.25 + 0.5 * u();
    const outageFrom = startMs + Math.floor(u() * span);
    const outageHours = 2 + 6 * u();
    const incidents: Incident[] = [];
    // Poisson(3 per day) by inversion.
    const mean = (3 * minutes) / 1440;
    let count = 0;
    for (let p = u(), l = Math.exp(-mean), c = l; p > c && count < 50; ) {
      count++;
      l *= mean / count;
      c += l;
    }
    for (let j = 0; j < count; j++) {
      const seg = segments[Math.floor(u() * segments.length)];
      const r = u();
      const lanes = seg.props.lanes;
      const lanesBlocked = r < 0.3 ? 0 : r < 0.85 || lanes < 3 ? 1 : 2;
      incidents.push({
        segmentId: seg.id,
        startMs: startMs + Math.floor((u() * span) / MINUTE_MS) * MINUTE_MS,
        durationMin: 15 + Math.floor(u() * 76),
        lanesBlocked: Math.min(lanesBlocked, lanes - 1),
      });
    }
    return {
      id: `${o.seed}-${k}`,
      index: k,
      seed: o.seed * 1000 + k,
      startMs,
      minutes,
      demandFactor,
      temperatureOffsetC,
      incidents,
      stationOutage: outage ? { share: outageShare, fromMs: outageFrom, toMs: outageFrom + outageHours * 3_600_000 } : null,
    };
  });
}

import type { RiskThresholds, RiskThresholdsRecord, ThresholdsEntry } from '@saferoads/shared/contracts';

/** The thresholds a minute is scored and alerted with, and their version (0: the scorer's configured defaults). */
export interface ActiveThresholds extends RiskThresholds {
  readonly version: number;
}

/** Where the pipeline gets a minute's thresholds from, by the minute's window end (event time). */
export interface ThresholdsSource {
  at(windowEndMs: number): ActiveThresholds;
}

/** What a record did: `applied` (it is the newest version), `superseded` (a newer one was applied before it: ignored). */
export type ScheduleOutcome = 'applied' | 'superseded';

/**
 * The thresholds table (docs/risk-scorer.md#thresholds): every version the risk.thresholds records
 * told of, and which applies to a minute. A minute ending at T gets the highest version effective
 * at or before T (entryInForce, the contract's rule), the configured defaults before any: a pure
 * function of the records and the minute, never of when a record arrived, so a replay of the same
 * stats and thresholds records scores and alerts the same.
 *
 * A record brings its own version and the earlier ones still in force within the replay horizon,
 * so the newest record alone (all a compacted topic may keep) tells what applied to every minute
 * of it. Versions once known keep their content; a record not newer than the newest applied is
 * superseded (its content is in the newer one).
 */
export class ThresholdsSchedule implements ThresholdsSource {
  readonly defaults: ActiveThresholds;
  /** Highest version first. */
  private byVersion: { readonly from: number; readonly active: ActiveThresholds }[] = [];
  private newest = 0;

  constructor(defaults: RiskThresholds) {
    this.defaults = { version: 0, levelBasis: defaults.levelBasis, levels: { ...defaults.levels }, alerts: { ...defaults.alerts } };
  }

  /** The newest version applied (0 before any), whether in force yet or not. */
  get latestVersion(): number {
    return this.newest;
  }

  /** Versions known, oldest first. */
  versions(): number[] {
    return this.byVersion.map((e) => e.active.version).reverse();
  }

  /** Takes a record that passed riskThresholdsRecordValidator; answers the versions it added. */
  apply(r: RiskThresholdsRecord): { outcome: ScheduleOutcome; added: number[] } {
    if (r.version <= this.newest) return { outcome: 'superseded', added: [] };
    const known = new Set(this.byVersion.map((e) => e.active.version));
    const fresh: ThresholdsEntry[] = [...r.earlier, { version: r.version, effectiveFromMs: r.effectiveFromMs, thresholds: r.thresholds }].filter((e) => !known.has(e.version));
    for (const e of fresh) {
      const { levelBasis, levels, alerts } = e.thresholds;
      this.byVersion.push({ from: e.effectiveFromMs, active: { version: e.version, levelBasis, levels: { ...levels }, alerts: { ...alerts } } });
    }
    this.byVersion.sort((a, b) => b.active.version - a.active.version);
    this.newest = r.version;
    return { outcome: 'applied', added: fresh.map((e) => e.version) };
  }

  at(windowEndMs: number): ActiveThresholds {
    for (const e of this.byVersion) if (e.from <= windowEndMs) return e.active;
    return this.defaults;
  }
}

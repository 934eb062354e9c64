import { entriesApplicableFrom, MAX_EARLIER_THRESHOLDS, type RiskThresholdsRecord } from '@saferoads/shared/contracts';
import type { ThresholdsVersion } from '../store/store.js';

/**
 * The risk.thresholds record of `v`: its own version, and the earlier ones of `candidates` that are
 * still in force for some minute ending within `horizonMs` before it was set (by the contract's
 * rule, `v` included: a version it overrides is left out). Only the newest record stays on the
 * compacted topic, so this is what lets a scorer that reads nothing else score a replay of that
 * horizon as it was scored. At most MAX_EARLIER_THRESHOLDS, the newest kept.
 */
export function thresholdsRecord(v: ThresholdsVersion, candidates: readonly ThresholdsVersion[], horizonMs: number): RiskThresholdsRecord {
  const upTo = candidates.filter((c) => c.version < v.version);
  const applicable = entriesApplicableFrom([...upTo, v], v.setAtMs - horizonMs).filter((c) => c.version !== v.version);
  return {
    version: v.version,
    effectiveFromMs: v.effectiveFromMs,
    thresholds: v.thresholds,
    setBy: v.setBy,
    setAtMs: v.setAtMs,
    note: v.note,
    earlier: applicable.slice(-MAX_EARLIER_THRESHOLDS).map((c) => ({ version: c.version, effectiveFromMs: c.effectiveFromMs, thresholds: c.thresholds })),
  };
}

import type { MissingStatsSchema, RiskAlert, RiskScore } from '@saferoads/shared/contracts';
import type { Static } from '@sinclair/typebox';
import type { AlertEvent } from '../alerts/types.js';
import type { SegmentScore } from '../scores/score-minute.js';

type MissingStats = Static<typeof MissingStatsSchema>;

/** A segment-minute's score as the risk.scores contract has it; the features by name when `names` is given. */
export function toRiskScore(s: SegmentScore, names?: readonly string[]): RiskScore {
  const missing: MissingStats[] = [
    ...s.missing.own.map((window) => ({ side: 'own' as const, segmentId: s.segmentId, window })),
    ...s.missing.upstream.map((m) => ({ side: 'upstream' as const, segmentId: m.segmentId, window: m.window })),
    ...s.missing.downstream.map((m) => ({ side: 'downstream' as const, segmentId: m.segmentId, window: m.window })),
  ];
  const score: RiskScore = {
    segmentId: s.segmentId,
    windowEndMs: s.windowEndMs,
    risk: s.risk,
    baselineRisk: s.baselineRisk,
    relativeRisk: s.relativeRisk,
    level: s.level,
    factors: s.factors.map((f) => ({ name: f.name, share: f.share })),
    modelVersion: s.modelVersion,
    complete: missing.length === 0,
    missing,
    defaults: s.defaults,
  };
  if (names) score.features = Object.fromEntries(names.map((n, k) => [n, s.features[k]]));
  return score;
}

/** An alert event as the risk.alerts contract has it. */
export function toRiskAlert(e: AlertEvent, modelVersion: string): RiskAlert {
  return {
    eventId: e.eventId,
    alertId: e.alertId,
    seq: e.seq,
    segmentId: e.segmentId,
    type: e.type,
    level: e.level,
    previousLevel: e.previousLevel,
    windowEndMs: e.windowEndMs,
    raisedAtMs: e.raisedAtMs,
    scoreLevel: e.scoreLevel,
    risk: e.risk,
    relativeRisk: e.relativeRisk,
    factors: e.factors.map((f) => ({ name: f.name, share: f.share })),
    modelVersion,
  };
}

// Test data in the alert API's shapes (not bundled into the page).
import type { AlertView, ScoreSummary } from './types.js';

export function alert(over: Partial<AlertView> & { alertId: string }): AlertView {
  return {
    segmentId: 'A13-S-001',
    status: 'open',
    scorerState: 'active',
    level: 'high',
    peakLevel: 'high',
    raisedAtMs: 1_796_371_200_000,
    updatedAtMs: 1_796_371_200_000,
    clearedAtMs: null,
    lastEvent: 'raised',
    lastSeq: 0,
    risk: 0.01,
    relativeRisk: 4.2,
    factors: [{ name: 'gaps', share: 0.6 }],
    modelVersion: 'risk-v1',
    acknowledged: null,
    resolved: null,
    position: [11.43, 47.25],
    ...over,
  };
}

export function score(over: Partial<ScoreSummary> = {}): ScoreSummary {
  return { windowEndMs: 1_796_371_260_000, risk: 0.001, relativeRisk: 1.1, level: 'low', factors: [], modelVersion: 'risk-v1', ...over };
}

/** A UUID-shaped id from a small number. */
export const uuid = (n: number) => `00000000-0000-8000-8000-${String(n).padStart(12, '0')}`;

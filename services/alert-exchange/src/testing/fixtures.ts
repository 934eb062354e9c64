import type { AlertEvent, AlertSegment, AlertView } from '../types.js';

/** A short made-up segment with a name that needs escaping in XML. */
export const SEGMENT: AlertSegment = {
  segmentId: 'A13-N-007',
  name: 'Schönberg & <Stubai> "Nord"',
  road: 'A13',
  direction: 'northbound',
  country: 'AT',
  structure: 'bridge',
  coordinates: [
    [11.40001, 47.2],
    [11.401, 47.201],
    [11.402, 47.2015],
  ],
};

export const RAISED_AT = Date.UTC(2026, 11, 4, 13, 5);
export const ESCALATED_AT = Date.UTC(2026, 11, 4, 13, 20);
export const GENERATED_AT = Date.UTC(2026, 11, 4, 13, 21, 30, 250);

/** A severe alert, escalated once from high. */
export const ESCALATED: AlertView = {
  alertId: '0b6f3a52-1c2d-8e4f-9a0b-1c2d3e4f5a6b',
  segmentId: SEGMENT.segmentId,
  level: 'severe',
  previousLevel: 'high',
  status: 'acknowledged',
  lifecycle: 'escalated',
  seq: 1,
  raisedAtMs: RAISED_AT,
  updatedAtMs: ESCALATED_AT,
  risk: 0.0042,
  relativeRisk: 6.84,
  factors: [
    { name: 'precipitation', share: 0.55 },
    { name: 'speedVariation', share: 0.3 },
    { name: 'gaps', share: 0.15 },
  ],
  segment: SEGMENT,
};

/** A high alert just raised, on a segment without name or structure. */
export const RAISED: AlertView = {
  alertId: '7d1e2f30-4a5b-8c6d-8e7f-8091a2b3c4d5',
  segmentId: 'A13-S-002',
  level: 'high',
  previousLevel: null,
  status: 'open',
  lifecycle: 'raised',
  seq: 0,
  raisedAtMs: RAISED_AT,
  updatedAtMs: RAISED_AT,
  risk: 0.0021,
  relativeRisk: 3.9,
  factors: [],
  segment: { segmentId: 'A13-S-002', direction: 'southbound', coordinates: [[11.43, 47.25], [11.431, 47.2495]] },
};

/** risk.alerts steps of one alert: raised high, escalated to severe, de-escalated, resolved. */
export const EVENTS: AlertEvent[] = [
  { eventId: `${ESCALATED.alertId}/0`, alertId: ESCALATED.alertId, seq: 0, segmentId: SEGMENT.segmentId, type: 'raised', level: 'high', previousLevel: null, windowEndMs: RAISED_AT, raisedAtMs: RAISED_AT, risk: 0.0025, relativeRisk: 4.1, factors: [{ name: 'precipitation', share: 0.7 }, { name: 'gaps', share: 0.3 }], segment: SEGMENT },
  { eventId: `${ESCALATED.alertId}/1`, alertId: ESCALATED.alertId, seq: 1, segmentId: SEGMENT.segmentId, type: 'escalated', level: 'severe', previousLevel: 'high', windowEndMs: ESCALATED_AT, raisedAtMs: RAISED_AT, risk: 0.0042, relativeRisk: 6.84, factors: [...ESCALATED.factors], segment: SEGMENT },
  { eventId: `${ESCALATED.alertId}/2`, alertId: ESCALATED.alertId, seq: 2, segmentId: SEGMENT.segmentId, type: 'deescalated', level: 'high', previousLevel: 'severe', windowEndMs: ESCALATED_AT + 300_000, raisedAtMs: RAISED_AT, risk: 0.003, relativeRisk: 4.5, factors: [], segment: SEGMENT },
  { eventId: `${ESCALATED.alertId}/3`, alertId: ESCALATED.alertId, seq: 3, segmentId: SEGMENT.segmentId, type: 'resolved', level: 'high', previousLevel: 'high', windowEndMs: ESCALATED_AT + 900_000, raisedAtMs: RAISED_AT, risk: 0.0008, relativeRisk: 1.2, factors: [], segment: SEGMENT },
];

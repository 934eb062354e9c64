import { describe, expect, it } from 'vitest';
import { riskAlertValidator } from './risk-alert.js';
import { riskScoreValidator } from './risk-score.js';

const score = {
  segmentId: 'A13-S-012',
  windowEndMs: 1_773_126_060_000,
  risk: 0.0125,
  baselineRisk: 0.005,
  relativeRisk: 2.5,
  level: 'elevated',
  factors: [
    { name: 'precipitation', share: 0.6 },
    { name: 'light', share: 0.4 },
  ],
  modelVersion: 'risk-v1',
  complete: false,
  missing: [{ side: 'downstream', segmentId: 'A13-S-013', window: '1m' }],
  defaults: 3,
};
const alert = {
  eventId: '25ca4ad2-d138-853a-bb9a-ed03c60a4fe2/0',
  alertId: '25ca4ad2-d138-853a-bb9a-ed03c60a4fe2',
  seq: 0,
  segmentId: 'A13-S-012',
  type: 'raised',
  level: 'high',
  previousLevel: null,
  windowEndMs: 1_773_126_060_000,
  raisedAtMs: 1_773_126_060_000,
  scoreLevel: 'high',
  risk: 0.02,
  relativeRisk: 4,
  factors: [{ name: 'shockwave', share: 1 }],
  modelVersion: 'risk-v1',
};

describe('risk score contract', () => {
  it('accepts a score, with or without its features', () => {
    expect(riskScoreValidator.check(score)).toEqual({ ok: true, value: score });
    expect(riskScoreValidator.check({ ...score, features: { flowVehH_1m: 1200 } }).ok).toBe(true);
  });
  it.each([
    [{ ...score, risk: 1.5 }, [{ field: 'risk', reason: 'must be <= 1' }]],
    [{ ...score, level: 'extreme' }, [{ field: 'level', reason: 'must be one of "low", "elevated", "high", "severe"' }]],
    [{ ...score, missing: [{ side: 'left', segmentId: 'X', window: '1m' }] }, [{ field: 'missing.0.side', reason: 'must be one of "own", "upstream", "downstream"' }]],
    [{ ...score, extra: 1 }, [{ field: '(record)', reason: 'must NOT have additional properties' }]],
  ])('refuses %j naming the field and the reason', (input, errors) => {
    expect(riskScoreValidator.check(input)).toEqual({ ok: false, errors });
  });
});

describe('risk alert contract', () => {
  it('accepts an event', () => {
    expect(riskAlertValidator.check(alert)).toEqual({ ok: true, value: alert });
    expect(riskAlertValidator.check({ ...alert, type: 'escalated', seq: 1, previousLevel: 'high', level: 'severe' }).ok).toBe(true);
  });
  it.each([
    [{ ...alert, alertId: 'alert-1' }, 'alertId'],
    [{ ...alert, type: 'acknowledged' }, 'type'],
    [{ ...alert, seq: -1 }, 'seq'],
  ])('refuses %j', (input, field) => {
    const r = riskAlertValidator.check(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.field)).toEqual([field]);
  });
});

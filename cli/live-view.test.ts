import { describe, expect, it } from 'vitest';
import type { AlertEvent, ScoredMinute, SegmentScore } from '@saferoads/risk-scorer';
import { loadNetwork } from '@saferoads/shared/network';
import { LiveView } from './live-view.js';

const network = loadNetwork();
const END = Date.parse('2026-03-10T06:43:00Z'); // 07:43 in Innsbruck
const score = (segmentId: string, relativeRisk: number, level: SegmentScore['level'], factors: SegmentScore['factors'] = []): SegmentScore => ({
  segmentId, windowEndMs: END, risk: relativeRisk / 25, baselineRisk: 0.04, relativeRisk, level, factors, modelVersion: 'risk-v1',
  features: new Float32Array(0), defaults: 0, missing: { own: [], upstream: [], downstream: [] },
});
const minute = (scores: SegmentScore[], alerts: AlertEvent[] = []): ScoredMinute => ({ minute: { windowEndMs: END, reason: 'complete', segments: [], absent: [], missingRecords: 0 }, scores, alerts, thresholdsVersion: 0 });

describe('LiveView risk table and alert lines', () => {
  it('prints the riskiest segments of a minute once every segment\'s score is in, from every partition', () => {
    const printed: string[] = [];
    const view = new LiveView(network, (t) => printed.push(t), 2);
    const ids = network.segments.map((s) => s.id);
    const all = ids.map((id) => score(id, 1, 'low'));
    all[5] = score(ids[5], 3.62, 'high', [{ name: 'speed', share: 0.22 }, { name: 'volume', share: 0.215 }]);
    all[9] = score(ids[9], 2.5, 'elevated', [{ name: 'shockwave', share: 1 }]);
    view.scored(minute(all.slice(0, 40)));
    expect(printed).toEqual([]);
    view.scored(minute(all.slice(40)));
    expect(printed).toEqual([
      [
        '  risk 07:42–07:43 (risk-v1): 0 severe, 1 high, 1 elevated, 70 low',
        `  ${'segment'.padEnd(12)}   risk x base level     top factors (share of the rise)`,
        `  ${ids[5].padEnd(12)}  0.145   3.62 HIGH      speed 22 %, volume 22 %  (${network.segments[5].props.name})`,
        `  ${ids[9].padEnd(12)}  0.100   2.50 ELEVATED  shockwave 100 %  (${network.segments[9].props.name})`,
      ].join('\n'),
    ]);
  });

  it.each<[Partial<AlertEvent>, string]>([
    [{ type: 'raised', seq: 0, level: 'high', previousLevel: null }, 'raised at high'],
    [{ type: 'escalated', seq: 1, level: 'severe', previousLevel: 'high' }, 'escalated high -> severe'],
    [{ type: 'resolved', seq: 2, level: 'high', previousLevel: 'high' }, 'resolved (was high)'],
  ])('an alert line per event: %j', (over, what) => {
    const printed: string[] = [];
    const view = new LiveView(network, (t) => printed.push(t), 2);
    const e = { eventId: 'x', alertId: 'a4785ce9-79ab-8d87-bf60-ea17433dd365', segmentId: 'A13-N-019', windowEndMs: END, raisedAtMs: END, scoreLevel: 'high', risk: 0.158, relativeRisk: 3.62, factors: [{ name: 'speed', share: 0.5 }], ...over } as AlertEvent;
    view.scored(minute([], [e]));
    expect(printed).toEqual([`! 07:43 ALERT A13-N-019 (${network.byId.get('A13-N-019')!.props.name}) ${what}: x3.62 base, risk 0.158, speed 50 %  [a4785ce9 #${e.seq}]`]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RISK_LEVELS, type RiskLevel } from '../scores/levels.js';
import { alertId } from './alert-id.js';
import { AlertMachine } from './alert-machine.js';
import type { AlertConfig } from './config.js';
import type { AlertEvent } from './types.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 10, 7, 0);
const LETTER: Record<string, RiskLevel> = { L: 'low', E: 'elevated', H: 'high', S: 'severe' };

/**
 * Runs one segment through a sequence of minutes, one letter each (L E H S); `_` is a minute with
 * no score (a gap). Events come back as `<minute index> <type> <level>`.
 */
function run(sequence: string, config: Partial<AlertConfig> = {}, machine = new AlertMachine(config)): string[] {
  const out: string[] = [];
  [...sequence].forEach((c, i) => {
    if (c === '_') return;
    const { event } = machine.process({ segmentId: 'S1', windowEndMs: T0 + (i + 1) * MIN, level: LETTER[c], risk: 0.01, relativeRisk: 1, factors: [] });
    if (event) out.push(`${i} ${event.type} ${event.level}`);
  });
  return out;
}

describe('AlertMachine: hysteresis with the defaults (raise: 3 minutes at high; escalate 1; de-escalate 3; resolve: 5 minutes below elevated)', () => {
  it.each<[string, string, string[]]>([
    ['two high minutes are not enough', 'LHHL', []],
    ['three consecutive high minutes raise', 'LHHH', ['3 raised high']],
    ['a low minute breaks the run', 'HHLHH', []],
    ['raised at the level the last minute holds', 'HHS', ['2 raised severe']],
    ['escalated the first severe minute', 'HHHS', ['2 raised high', '3 escalated severe']],
    ['de-escalated after 3 minutes below, to the highest of them', 'HHHSSHEH', ['2 raised high', '3 escalated severe', '7 deescalated high']],
    ['a short dip does not de-escalate', 'HHHSSHHSS', ['2 raised high', '3 escalated severe']],
    ['low minutes de-escalate to clearBelow first, then resolve', 'HHHLLLLL', ['2 raised high', '5 deescalated elevated', '7 resolved elevated']],
    ['elevated is not clear: the alert stays open', 'HHHEEEEEEEE', ['2 raised high', '5 deescalated elevated']],
    ['a high minute in the clear run escalates and restarts it', 'HHHLLLLHLLLLL', ['2 raised high', '5 deescalated elevated', '7 escalated high', '10 deescalated elevated', '12 resolved elevated']],
    ['after a resolve a new alert needs a new run', 'HHHLLLLLHHH', ['2 raised high', '5 deescalated elevated', '7 resolved elevated', '10 raised high']],
    ['a missing minute breaks the run', 'HH_H', []],
    ['and the run starts again after it', 'HH_HHH', ['5 raised high']],
    ['a missing minute breaks the clear run too', 'HHHLLLL_LLLL', ['2 raised high', '5 deescalated elevated']],
  ])('%s: %s', (_what, sequence, events) => {
    expect(run(sequence)).toEqual(events);
  });
});

describe('AlertMachine: other settings', () => {
  it.each<[string, Partial<AlertConfig>, string, string[]]>([
    ['escalation needs 2 minutes', { escalateAfterMinutes: 2 }, 'HHHSHSS', ['2 raised high', '6 escalated severe']],
    ['raised at high when severe lasted shorter than an escalation', { escalateAfterMinutes: 2 }, 'HHS', ['2 raised high']],
    ['raised at severe when it held long enough', { escalateAfterMinutes: 2 }, 'HSS', ['2 raised severe']],
    ['elevated alerts, one minute each way', { raiseLevel: 'elevated', raiseAfterMinutes: 1, resolveAfterMinutes: 1 }, 'ELEL', ['0 raised elevated', '1 resolved elevated', '2 raised elevated', '3 resolved elevated']],
    ['only severe raises; high is clear', { raiseLevel: 'severe', raiseAfterMinutes: 2, clearBelow: 'severe', resolveAfterMinutes: 2 }, 'SSHHH', ['1 raised severe', '3 resolved severe']],
  ])('%s', (_what, config, sequence, events) => {
    expect(run(sequence, config)).toEqual(events);
  });

  it.each<[Partial<AlertConfig>, string]>([
    [{ raiseAfterMinutes: 0 }, 'raiseAfterMinutes: must be >= 1'],
    [{ resolveAfterMinutes: 1.5 }, 'resolveAfterMinutes: must be integer'],
    [{ raiseLevel: 'low' as 'high' }, 'raiseLevel: must be one of "elevated", "high", "severe"'],
    [{ raiseLevel: 'elevated', clearBelow: 'high' }, 'clearBelow: must not be above raiseLevel ("elevated"), got "high" (a minute could raise an alert and count towards resolving it)'],
  ])('refuses %j', (config, problem) => {
    expect(() => new AlertMachine(config)).toThrow(`invalid risk-scorer alerts configuration: ${problem}`);
  });
});

describe('AlertMachine: events', () => {
  it('carry ids from segment and raise minute, a sequence number, the levels and the minute\'s score', () => {
    const m = new AlertMachine();
    const events: AlertEvent[] = [];
    const feed = (i: number, level: RiskLevel) => {
      const { event } = m.process({ segmentId: 'A13-N-042', windowEndMs: T0 + i * MIN, level, risk: 0.25, relativeRisk: 4, factors: [{ name: 'precipitation', share: 1 }] });
      if (event) events.push(event);
    };
    ['high', 'high', 'high', 'severe', 'low', 'low', 'low', 'low', 'low'].forEach((l, i) => feed(i + 1, l as RiskLevel));
    const id = alertId('A13-N-042', T0 + 3 * MIN);
    // Checked independently with Python's hashlib over the same bytes.
    expect(id).toBe('25ca4ad2-d138-853a-bb9a-ed03c60a4fe2');
    expect(events.map((e) => [e.eventId, e.type, e.previousLevel, e.level, e.scoreLevel, (e.windowEndMs - T0) / MIN])).toEqual([
      [`${id}/0`, 'raised', null, 'high', 'high', 3],
      [`${id}/1`, 'escalated', 'high', 'severe', 'severe', 4],
      [`${id}/2`, 'deescalated', 'severe', 'elevated', 'low', 7],
      [`${id}/3`, 'resolved', 'elevated', 'elevated', 'low', 9],
    ]);
    expect(events[0]).toMatchObject({ alertId: id, raisedAtMs: T0 + 3 * MIN, risk: 0.25, relativeRisk: 4, factors: [{ name: 'precipitation', share: 1 }], segmentId: 'A13-N-042' });
    expect(m.counters).toMatchObject({ minutes: 9, raised: 1, escalated: 1, deescalated: 1, resolved: 1 });
    expect(m.openAlerts).toBe(0);
  });

  it('alert ids are version-8 UUIDs that differ by segment and by minute', () => {
    const ids = [alertId('S1', T0), alertId('S2', T0), alertId('S1', T0 + MIN)];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(3);
  });

  it('a repeated or older minute is stale: ignored and counted', () => {
    const m = new AlertMachine({ raiseAfterMinutes: 2 });
    const p = (i: number, level: RiskLevel) => m.process({ segmentId: 'S', windowEndMs: T0 + i * MIN, level, risk: 0, relativeRisk: 1, factors: [] });
    p(1, 'high');
    expect(p(1, 'high')).toEqual({ outcome: 'stale', event: null });
    expect(p(0, 'high').outcome).toBe('stale');
    expect(p(2, 'high').event?.type).toBe('raised');
    expect(m.counters.stale).toBe(2);
  });

  it('segments are independent: one open alert each', () => {
    const m = new AlertMachine({ raiseAfterMinutes: 1 });
    for (const seg of ['A', 'B']) m.process({ segmentId: seg, windowEndMs: T0, level: 'high', risk: 0, relativeRisk: 1, factors: [] });
    m.process({ segmentId: 'A', windowEndMs: T0 + MIN, level: 'high', risk: 0, relativeRisk: 1, factors: [] });
    expect(m.openAlerts).toBe(2);
    expect(m.openAlert('A')?.alertId).toBe(alertId('A', T0));
    expect(m.openAlert('C')).toBeNull();
  });
});

describe('AlertMachine: properties', () => {
  const sequences = fc.array(fc.constantFrom('L', 'E', 'H', 'S', '_'), { maxLength: 80 }).map((a) => a.join(''));

  it('a replay of the same scores gives the same events; a machine restored anywhere goes on as one that never stopped', () => {
    fc.assert(
      fc.property(sequences, fc.nat(), (seq, cut) => {
        const whole = run(seq);
        expect(run(seq)).toEqual(whole);
        const at = cut % (seq.length + 1);
        const first = new AlertMachine();
        const head = run(seq.slice(0, at), {}, first);
        const second = new AlertMachine();
        second.restore(JSON.parse(JSON.stringify(first.save())));
        const tail = run('_'.repeat(at) + seq.slice(at), {}, second);
        expect([...head, ...tail]).toEqual(whole);
      }),
    );
  });

  it('events alternate properly: raised first, resolved last, levels only move by escalation upward and de-escalation downward', () => {
    fc.assert(
      fc.property(sequences, (seq) => {
        const m = new AlertMachine();
        let open: RiskLevel | null = null;
        [...seq].forEach((c, i) => {
          if (c === '_') return;
          const { event } = m.process({ segmentId: 'S', windowEndMs: T0 + i * MIN, level: LETTER[c], risk: 0, relativeRisk: 1, factors: [] });
          if (!event) return;
          const rank = (l: RiskLevel) => RISK_LEVELS.indexOf(l);
          if (event.type === 'raised') expect(open).toBeNull();
          else expect(event.previousLevel).toBe(open);
          if (event.type === 'escalated') expect(rank(event.level)).toBeGreaterThan(rank(open!));
          if (event.type === 'deescalated') expect(rank(event.level)).toBeLessThan(rank(open!));
          if (event.type !== 'resolved') expect(rank(event.level)).toBeGreaterThanOrEqual(1);
          open = event.type === 'resolved' ? null : event.level;
        });
        expect(m.openAlerts).toBe(open === null ? 0 : 1);
      }),
    );
  });
});

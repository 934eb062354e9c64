import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TrafficStats } from '@saferoads/shared/contracts';
import { chainNetwork, mergeNetwork, minuteOf, MINUTE_MS, stats, T0 } from '../testing/index.js';
import { StatsJoin } from './stats-join.js';
import type { JoinedMinute, JoinedSegment } from './types.js';

const M1 = T0 + MINUTE_MS;
const chain = chainNetwork(['A', 'B', 'C']);

function feed(join: StatsJoin, records: readonly TrafficStats[], nowMs = 0): JoinedMinute[] {
  return records.flatMap((r) => join.add(r, nowMs).emitted);
}
const seg = (m: JoinedMinute, id: string): JoinedSegment => {
  const s = m.segments.find((x) => x.segmentId === id);
  if (!s) throw new Error(`no ${id} in minute ${m.windowEndMs}`);
  return s;
};
/** The ids of the records a segment-minute was joined with, to compare whole joins at a glance. */
const ids = (s: JoinedSegment) => ({
  own: [s.inputs.own['1m']?.segmentId ?? null, s.inputs.own['10m']?.segmentId ?? null],
  upstream: s.inputs.upstream.map((r) => [r['1m']?.segmentId ?? null, r['10m']?.segmentId ?? null]),
  downstream: s.inputs.downstream.map((r) => [r['1m']?.segmentId ?? null, r['10m']?.segmentId ?? null]),
});

describe('StatsJoin: known answers', () => {
  it('all present: emitted the moment the last record arrives, each segment with its neighbours; the ends of the carriageway have none on one side', () => {
    const join = new StatsJoin({ network: chain });
    const records = minuteOf(['A', 'B', 'C'], M1);
    expect(feed(join, records.slice(0, 5))).toEqual([]);
    const [m] = join.add(records[5], 0).emitted;
    expect(m).toMatchObject({ windowEndMs: M1, reason: 'complete', absent: [], missingRecords: 0 });
    expect(m.segments.map((s) => [s.segmentId, s.complete])).toEqual([
      ['A', true],
      ['B', true],
      ['C', true],
    ]);
    expect(ids(seg(m, 'A'))).toEqual({ own: ['A', 'A'], upstream: [], downstream: [['B', 'B']] });
    expect(ids(seg(m, 'B'))).toEqual({ own: ['B', 'B'], upstream: [['A', 'A']], downstream: [['C', 'C']] });
    expect(ids(seg(m, 'C'))).toEqual({ own: ['C', 'C'], upstream: [['B', 'B']], downstream: [] });
    expect(seg(m, 'A').missing).toEqual({ own: [], upstream: [], downstream: [] });
    expect(join.openMinutes).toBe(0);
    expect(join.counters).toMatchObject({ records: 6, joined: 6, minutes: 1, complete: 1, missingRecords: 0 });
  });

  it('missing neighbour: waits maxWaitMs from the first record, then emits what it has, flagging the gaps', () => {
    const join = new StatsJoin({ network: chain, config: { maxWaitMs: 5_000 } });
    feed(join, minuteOf(['A', 'B'], M1), 1_000);
    expect(join.nextDeadline()).toBe(6_000);
    expect(join.tick(5_999)).toEqual([]);
    const [m] = join.tick(6_000);
    expect(m).toMatchObject({ windowEndMs: M1, reason: 'timeout', absent: ['C'], missingRecords: 2 });
    expect(m.segments.map((s) => s.segmentId)).toEqual(['A', 'B']);
    expect(seg(m, 'A').complete).toBe(true);
    expect(seg(m, 'B').complete).toBe(false);
    expect(seg(m, 'B').missing).toEqual({
      own: [],
      upstream: [],
      downstream: [
        { segmentId: 'C', window: '1m' },
        { segmentId: 'C', window: '10m' },
      ],
    });
    expect(ids(seg(m, 'B')).downstream).toEqual([[null, null]]);
    expect(join.nextDeadline()).toBeNull();
    expect(join.counters).toMatchObject({ timeout: 1, missingRecords: 2 });
  });

  it('late neighbour: a record after its minute left is counted and reported with the segments it would have served, never re-emitted', () => {
    const join = new StatsJoin({ network: chain, config: { maxWaitMs: 5_000 } });
    feed(join, [...minuteOf(['A', 'B'], M1), stats('C', '10m', M1)], 0);
    expect(join.tick(5_000).map((m) => m.reason)).toEqual(['timeout']);
    const step = join.add(stats('C', '1m', M1), 7_000);
    expect(step).toEqual({
      outcome: 'late',
      emitted: [],
      late: { segmentId: 'C', window: '1m', windowEndMs: M1, closedThroughMs: M1, affects: ['B', 'C'] },
    });
    expect(join.openMinutes).toBe(0);
    expect(join.flush()).toEqual([]);
    expect(join.counters).toMatchObject({ late: 1, minutes: 1 });
  });

  it('a segment with only its 10-minute record is scored with what it has; one with no record of its own is absent', () => {
    const join = new StatsJoin({ network: chain, config: { maxWaitMs: 0 } });
    feed(join, [stats('A', '1m', M1), stats('A', '10m', M1), stats('B', '10m', M1)], 0);
    const [m] = join.tick(0);
    expect(m.absent).toEqual(['C']);
    expect(seg(m, 'B').missing.own).toEqual(['1m']);
    expect(seg(m, 'B').inputs.own['1m']).toBeNull();
    expect(m.missingRecords).toBe(3);
  });

  it('a merge: both upstream segments are joined, in network order', () => {
    const network = mergeNetwork();
    const join = new StatsJoin({ network });
    const [m] = feed(join, minuteOf(['D', 'M', 'B', 'A'], M1));
    expect(m.reason).toBe('complete');
    expect(ids(seg(m, 'M'))).toEqual({ own: ['M', 'M'], upstream: [['A', 'A'], ['B', 'B']], downstream: [['D', 'D']] });
    expect(ids(seg(m, 'A'))).toEqual({ own: ['A', 'A'], upstream: [], downstream: [['M', 'M']] });
  });

  it('the watermark: once every segment a minute needs has sent a later minute, nothing more comes in order and the minute leaves', () => {
    const join = new StatsJoin({ network: chain, config: { maxWaitMs: 60_000 } });
    feed(join, minuteOf(['A', 'B'], M1));
    expect(feed(join, minuteOf(['A', 'B'], M1 + MINUTE_MS))).toEqual([]);
    const [m] = feed(join, [stats('C', '1m', M1 + MINUTE_MS)]);
    expect(m).toMatchObject({ windowEndMs: M1, reason: 'watermark', absent: ['C'], missingRecords: 2 });
    expect(join.openMinutes).toBe(1);
    expect(join.add(stats('C', '1m', M1), 0).outcome).toBe('late');
  });

  it('the state bound: beyond maxOpenMinutes the oldest minute leaves with what it has', () => {
    const join = new StatsJoin({ network: chain, config: { maxOpenMinutes: 2, maxWaitMs: 60_000 } });
    feed(join, [stats('A', '1m', M1), stats('A', '1m', M1 + MINUTE_MS)]);
    const out = feed(join, [stats('A', '1m', M1 + 2 * MINUTE_MS)]);
    expect(out.map((m) => [m.windowEndMs, m.reason])).toEqual([[M1, 'superseded']]);
    expect(join.openMinutes).toBe(2);
    expect(join.counters).toMatchObject({ superseded: 1, minutes: 1 });
  });

  it('a segment far ahead (a backlog read partition by partition) does not push the others\' minutes out', () => {
    const join = new StatsJoin({ network: chain, config: { maxWaitMs: 60_000 } });
    const out = [
      ...feed(join, [1, 2, 3, 4, 5].flatMap((m) => minuteOf(['A'], T0 + m * MINUTE_MS))),
      ...feed(join, [1, 2, 3, 4, 5].flatMap((m) => minuteOf(['B', 'C'], T0 + m * MINUTE_MS))),
    ];
    expect(out.map((m) => [(m.windowEndMs - T0) / MINUTE_MS, m.reason, m.missingRecords])).toEqual([
      [1, 'complete', 0],
      [2, 'complete', 0],
      [3, 'complete', 0],
      [4, 'complete', 0],
      [5, 'complete', 0],
    ]);
    expect(join.counters.late).toBe(0);
  });

  it('minutes leave in order: the older one first, as soon as every segment has moved past it', () => {
    const join = new StatsJoin({ network: chain });
    feed(join, [stats('A', '1m', M1)]);
    const out = feed(join, minuteOf(['A', 'B', 'C'], M1 + MINUTE_MS));
    expect(out.map((m) => [m.windowEndMs, m.reason])).toEqual([
      [M1, 'watermark'],
      [M1 + MINUTE_MS, 'complete'],
    ]);
  });

  it('a timeout lets out the older minutes too, even if they opened later', () => {
    const join = new StatsJoin({ network: chain, config: { maxWaitMs: 1_000 } });
    feed(join, [stats('A', '1m', M1 + MINUTE_MS)], 0);
    feed(join, [stats('A', '1m', M1)], 900);
    expect(join.tick(1_000).map((m) => [m.windowEndMs, m.reason])).toEqual([
      [M1, 'superseded'],
      [M1 + MINUTE_MS, 'timeout'],
    ]);
  });

  it.each<[string, TrafficStats, string]>([
    ['a second copy of a record', stats('A', '1m', M1), 'duplicate'],
    ['a segment not in the network', stats('Z', '1m', M1), 'unknownSegment'],
  ])('%s is counted and left out', (_what, record, outcome) => {
    const join = new StatsJoin({ network: chain });
    join.add(stats('A', '1m', M1), 0);
    expect(join.add(record, 0)).toEqual({ outcome, emitted: [] });
    expect(join.counters).toMatchObject({ records: 2, joined: 1, [outcome]: 1 });
  });

  it('scores only its own segments, takes their neighbours\' records, and leaves the rest', () => {
    const network = chainNetwork(['A', 'B', 'C', 'D']);
    const join = new StatsJoin({ network, scored: (id) => id === 'A' });
    expect(join.add(stats('C', '1m', M1), 0).outcome).toBe('unneeded');
    const [m] = feed(join, minuteOf(['A', 'B'], M1));
    expect(m.reason).toBe('complete');
    expect(m.segments.map((s) => s.segmentId)).toEqual(['A']);
    expect(ids(seg(m, 'A'))).toEqual({ own: ['A', 'A'], upstream: [], downstream: [['B', 'B']] });
  });

  it('flush emits every open minute, oldest first', () => {
    const join = new StatsJoin({ network: chain, });
    feed(join, [stats('A', '1m', M1 + MINUTE_MS), stats('B', '1m', M1)]);
    expect(join.flush().map((m) => [m.windowEndMs, m.reason, m.segments.map((s) => s.segmentId)])).toEqual([
      [M1, 'flush', ['B']],
      [M1 + MINUTE_MS, 'flush', ['A']],
    ]);
  });

  it('refuses a bad configuration, naming each field', () => {
    expect(() => new StatsJoin({ network: chain, config: { maxWaitMs: -1, maxOpenMinutes: 0 } })).toThrow(
      'invalid risk-scorer join configuration: maxWaitMs: must be >= 0; maxOpenMinutes: must be >= 1',
    );
  });
});

describe('StatsJoin: properties', () => {
  const network = mergeNetwork();
  const segIds = ['A', 'B', 'M', 'D'];
  /** Records of 4 minutes in any order, some dropped, some repeated; clock steps and ticks in between. */
  const events = fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant('rec' as const), seg: fc.constantFrom(...segIds), window: fc.constantFrom('1m' as const, '10m' as const), minute: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant('tick' as const), advance: fc.integer({ min: 0, max: 4_000 }) }),
    ),
    { maxLength: 60 },
  );
  type Ev = { kind: 'rec'; seg: string; window: '1m' | '10m'; minute: number } | { kind: 'tick'; advance: number };

  function run(join: StatsJoin, evs: readonly Ev[], start = 0, clock = { now: 0 }, out: JoinedMinute[] = [], outcomes: string[] = []) {
    for (const e of evs.slice(start)) {
      if (e.kind === 'tick') {
        clock.now += e.advance;
        out.push(...join.tick(clock.now));
      } else {
        const step = join.add(stats(e.seg, e.window, M1 + e.minute * MINUTE_MS), clock.now);
        outcomes.push(`${e.seg}/${e.window}/${e.minute}:${step.outcome}`);
        out.push(...step.emitted);
      }
    }
    return { out, outcomes, clock };
  }

  it('every record given is joined into exactly one emitted minute, or reported late or duplicate; minutes leave once, in order', () => {
    fc.assert(
      fc.property(events, (evs) => {
        const join = new StatsJoin({ network, config: { maxWaitMs: 3_000, maxOpenMinutes: 2 } });
        const { out, outcomes } = run(join, evs as Ev[]);
        out.push(...join.flush());
        const ends = out.map((m) => m.windowEndMs);
        expect(ends).toEqual([...new Set(ends)].sort((a, b) => a - b));
        const own = out.flatMap((m) =>
          m.segments.flatMap((s) =>
            (['1m', '10m'] as const).filter((w) => s.inputs.own[w] !== null).map((w) => `${s.segmentId}/${w}/${(m.windowEndMs - M1) / MINUTE_MS}`),
          ),
        );
        const joined = outcomes.filter((o) => o.endsWith(':joined')).map((o) => o.split(':')[0]);
        expect([...own].sort()).toEqual([...joined].sort());
        expect(join.counters.joined + join.counters.late + join.counters.duplicate).toBe(join.counters.records);
        expect(join.openMinutes).toBe(0);
      }),
    );
  });

  it('a join saved and restored anywhere carries on exactly as one that never stopped', () => {
    fc.assert(
      fc.property(events, fc.nat(), (evs, cut) => {
        const config = { maxWaitMs: 3_000, maxOpenMinutes: 2 };
        const whole = run(new StatsJoin({ network, config }), evs as Ev[]);
        const at = evs.length === 0 ? 0 : cut % (evs.length + 1);
        const first = new StatsJoin({ network, config });
        const part = run(first, (evs as Ev[]).slice(0, at));
        const second = new StatsJoin({ network, config });
        second.restore(JSON.parse(JSON.stringify(first.save())));
        const rest = run(second, evs as Ev[], at, part.clock, part.out, part.outcomes);
        expect(rest.out).toEqual(whole.out);
        expect(rest.outcomes).toEqual(whole.outcomes);
      }),
    );
  });
});

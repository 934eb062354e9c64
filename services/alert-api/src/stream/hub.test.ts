import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamHub } from './hub.js';

describe('StreamHub', () => {
  it('frames each event once with consecutive ids and hands it to every subscriber', () => {
    const hub = new StreamHub({ bufferSize: 4, firstId: 100 });
    const a: string[] = [];
    const b: number[] = [];
    hub.subscribe((e) => a.push(e.frame));
    const off = hub.subscribe((e) => b.push(e.id));
    hub.publish('score', { segmentId: 'S-1' });
    off();
    hub.publish('alert', { alertId: 'x', note: 'two\nlines' });
    expect(a).toEqual(['id: 100\nevent: score\ndata: {"segmentId":"S-1"}\n\n', 'id: 101\nevent: alert\ndata: {"alertId":"x","note":"two\\nlines"}\n\n']);
    expect(b).toEqual([100]);
    expect(hub.lastId).toBe(101);
  });

  it.each([
    // [events published, lastId asked, answer]
    [0, 99, { kind: 'events', ids: [] }],
    [3, 99, { kind: 'events', ids: [100, 101, 102] }],
    [3, 101, { kind: 'events', ids: [102] }],
    [3, 102, { kind: 'events', ids: [] }],
    [6, 101, { kind: 'events', ids: [102, 103, 104, 105] }],
    [6, 100, { kind: 'reset' }],
    [6, 99, { kind: 'reset' }],
    [3, 50, { kind: 'reset' }],
  ])('after %i events, a resume from %i answers %j', (n, lastId, want) => {
    const hub = new StreamHub({ bufferSize: 4, firstId: 100 });
    for (let i = 0; i < n; i++) hub.publish('score', { i });
    const got = hub.since(lastId);
    expect(got.kind === 'events' ? { kind: 'events', ids: got.events.map((e) => e.id) } : { kind: got.kind }).toEqual(want);
  });

  it('a resume gives exactly the missed events while they are buffered, else a reset (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), (size, published, seen) => {
        const hub = new StreamHub({ bufferSize: size, firstId: 1 });
        for (let i = 0; i < published; i++) hub.publish('score', i);
        const lastId = Math.min(seen, published);
        const r = hub.since(lastId);
        const missed = published - lastId;
        if (missed <= size) expect(r).toEqual({ kind: 'events', events: Array.from({ length: missed }, (_, k) => expect.objectContaining({ id: lastId + 1 + k })) });
        else expect(r.kind).toBe('reset');
      }),
    );
  });

  it('starts its ids at the start time in microseconds by default', () => {
    const before = Date.now() * 1000;
    const hub = new StreamHub({ bufferSize: 1 });
    expect(hub.firstId).toBeGreaterThanOrEqual(before);
    expect(hub.firstId).toBeLessThanOrEqual(Date.now() * 1000);
    expect(() => new StreamHub({ bufferSize: 0 })).toThrow('stream buffer size must be a positive integer, got 0');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlertBook, compareAlerts, isNewer } from './alerts.js';
import { alert, uuid } from './fixtures.js';

const T = 1_796_371_200_000;
const all = new Set(['open', 'acknowledged', 'resolved'] as const);

describe('alert order', () => {
  it('is newest first, then most severe, then by id', () => {
    const a = alert({ alertId: uuid(1), raisedAtMs: T, level: 'elevated' });
    const b = alert({ alertId: uuid(2), raisedAtMs: T + 60_000, level: 'elevated' });
    const c = alert({ alertId: uuid(3), raisedAtMs: T, level: 'severe' });
    const d = alert({ alertId: uuid(4), raisedAtMs: T, level: 'elevated' });
    expect([a, b, c, d].sort(compareAlerts).map((x) => x.alertId)).toEqual([uuid(2), uuid(3), uuid(1), uuid(4)]);
  });

  it('is a total order that sorting any permutation gives back the same', () => {
    const levels = ['low', 'elevated', 'high', 'severe'] as const;
    fc.assert(
      fc.property(fc.uniqueArray(fc.record({ n: fc.integer({ min: 0, max: 50 }), t: fc.integer({ min: 0, max: 5 }), l: fc.integer({ min: 0, max: 3 }) }), { selector: (r) => r.n }), (rows) => {
        const alerts = rows.map((r) => alert({ alertId: uuid(r.n), raisedAtMs: T + r.t * 60_000, level: levels[r.l] }));
        const once = [...alerts].sort(compareAlerts).map((a) => a.alertId);
        const again = [...alerts].reverse().sort(compareAlerts).map((a) => a.alertId);
        expect(again).toEqual(once);
        for (let i = 1; i < once.length; i++) expect(compareAlerts(alerts.find((a) => a.alertId === once[i - 1])!, alerts.find((a) => a.alertId === once[i])!)).toBeLessThan(0);
      }),
    );
  });
});

describe('alert versions', () => {
  const base = alert({ alertId: uuid(1) });
  it.each([
    ['a later scorer event', alert({ alertId: uuid(1), lastSeq: 1, level: 'severe' }), true],
    ['an earlier scorer event', alert({ alertId: uuid(1), lastSeq: 0 }), true],
    ['an acknowledgement', alert({ alertId: uuid(1), status: 'acknowledged', acknowledged: { actor: 'op', role: 'operator', atMs: T + 5, note: null } }), true],
  ])('%s replaces the raised alert: %s', (_name, incoming, expected) => {
    expect(isNewer(incoming, base)).toBe(expected);
  });

  it('an older copy from a page load does not undo an acknowledgement from the stream', () => {
    const acked = alert({ alertId: uuid(1), status: 'acknowledged', acknowledged: { actor: 'op', role: 'operator', atMs: T + 5, note: 'on it' } });
    const book = new AlertBook();
    expect(book.upsert(acked)).toBe(true);
    expect(book.upsert(base)).toBe(false);
    expect(book.get(uuid(1))?.status).toBe('acknowledged');
    expect(book.upsert(alert({ alertId: uuid(1), lastSeq: 0, status: 'resolved', acknowledged: acked.acknowledged, resolved: { actor: 'op', role: 'operator', atMs: T + 9, note: null } }))).toBe(true);
    expect(book.get(uuid(1))?.status).toBe('resolved');
    // A later scorer event wins whatever its operator fields.
    expect(book.upsert(alert({ alertId: uuid(1), lastSeq: 2, status: 'open' }))).toBe(true);
    expect(book.get(uuid(1))?.status).toBe('open');
  });
});

describe('alert book', () => {
  it('lists by status in order, with a limit, and finds a segment\'s active alert', () => {
    const book = new AlertBook();
    book.upsert(alert({ alertId: uuid(1), segmentId: 'S1', raisedAtMs: T, status: 'resolved' }));
    book.upsert(alert({ alertId: uuid(2), segmentId: 'S1', raisedAtMs: T + 60_000 }));
    book.upsert(alert({ alertId: uuid(3), segmentId: 'S2', raisedAtMs: T + 120_000, status: 'acknowledged' }));
    expect(book.size).toBe(3);
    expect(book.list(new Set(['open', 'acknowledged'])).map((a) => a.alertId)).toEqual([uuid(3), uuid(2)]);
    expect(book.list(all, 2).map((a) => a.alertId)).toEqual([uuid(3), uuid(2)]);
    expect(book.list(all).map((a) => a.alertId)).toEqual([uuid(3), uuid(2), uuid(1)]);
    expect(book.activeFor('S1')?.alertId).toBe(uuid(2));
    expect(book.activeFor('S3')).toBeUndefined();
    book.clear();
    expect(book.size).toBe(0);
  });
});

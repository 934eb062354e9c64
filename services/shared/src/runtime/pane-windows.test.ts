import { describe, expect, it } from 'vitest';
import type { PaneAggregator } from './aggregator.js';
import { PaneWindows } from './pane-windows.js';
import { MINUTE_MS, hopping, tumbling } from './windows.js';

interface CountPane {
  n: number;
  sum: number;
}
const countAgg: PaneAggregator<CountPane, number, string, null> = {
  init: () => ({ n: 0, sum: 0 }),
  reset: (p) => {
    p.n = 0;
    p.sum = 0;
  },
  add: (p, x) => {
    p.n++;
    p.sum += x;
  },
  merge: (a, b) => {
    a.n += b.n;
    a.sum += b.sum;
  },
  result: (p, w) => `${w.name}@${w.startMs / MINUTE_MS}-${w.endMs / MINUTE_MS}:n=${p.n},sum=${p.sum}`,
};

function build(graceMs = 0, outOfOrdernessMs = 0) {
  const out: string[] = [];
  const pw = new PaneWindows<CountPane, string, null>({
    paneMs: MINUTE_MS,
    windows: [tumbling('1m', MINUTE_MS), hopping('3m', 3 * MINUTE_MS, MINUTE_MS)],
    graceMs,
    outOfOrdernessMs,
    aggregator: countAgg,
    emit: (key, _ctx, r) => out.push(`${key} ${r}`),
  });
  pw.addKey('a', null);
  pw.addKey('b', null);
  return { pw, out };
}

const M = MINUTE_MS;
function add(pw: PaneWindows<CountPane, string, null>, key: string, ts: number, x: number): boolean {
  const p = pw.paneFor(key, ts);
  if (p === null) return false;
  countAgg.add(p, x, null);
  return true;
}

describe('PaneWindows', () => {
  it('closes windows for every key, idle ones included, and never reports windows reaching before the start', () => {
    const { pw, out } = build();
    pw.advance(10 * M + 5_000); // stream starts in minute 10
    expect(add(pw, 'a', 10 * M + 5_000, 1)).toBe(true);
    expect(add(pw, 'a', 11 * M, 2)).toBe(true);
    expect(add(pw, 'a', 12 * M + 59_999, 4)).toBe(true);
    pw.advance(13 * M);
    expect(out).toEqual([
      'a 1m@10-11:n=1,sum=1',
      'b 1m@10-11:n=0,sum=0',
      'a 1m@11-12:n=1,sum=2',
      'b 1m@11-12:n=0,sum=0',
      'a 1m@12-13:n=1,sum=4',
      'a 3m@10-13:n=3,sum=7',
      'b 1m@12-13:n=0,sum=0',
      'b 3m@10-13:n=0,sum=0',
    ]);
  });

  it('an event whose pane has closed is late; the grace period keeps it open', () => {
    const { pw } = build(10_000);
    pw.advance(10 * M);
    pw.advance(11 * M + 9_999);
    expect(add(pw, 'a', 10 * M + 1, 1)).toBe(true); // watermark below end + grace
    pw.advance(11 * M + 10_000);
    expect(add(pw, 'a', 10 * M + 1, 1)).toBe(false);
    expect(add(pw, 'a', 11 * M, 1)).toBe(true);
    expect(pw.openFromMs).toBe(11 * M);
  });

  it('events before the stream start are late', () => {
    const { pw } = build();
    pw.advance(10 * M + 1);
    expect(add(pw, 'a', 10 * M - 1, 1)).toBe(false);
  });

  it('reuses panes: a long run keeps exact windows', () => {
    const { pw, out } = build();
    pw.advance(0);
    for (let m = 0; m < 50; m++) {
      pw.advance(m * M);
      add(pw, 'a', m * M + 1, m);
    }
    pw.flushUntil(50 * M);
    expect(out.filter((l) => l.startsWith('a 3m@47-50'))).toEqual(['a 3m@47-50:n=3,sum=144']);
    expect(out.filter((l) => l.startsWith('a 1m@49-50'))).toEqual(['a 1m@49-50:n=1,sum=49']);
    expect(out.filter((l) => l.startsWith('a ')).length).toBe(50 + 48);
  });

  it('refuses an event beyond the ring instead of corrupting a live pane', () => {
    const { pw } = build();
    pw.advance(0);
    expect(() => pw.paneFor('a', 100 * M)).toThrow(/beyond the pane ring/);
  });

  it('fails fast on invalid configuration, naming the field', () => {
    expect(
      () =>
        new PaneWindows({
          paneMs: M,
          windows: [hopping('x', 90_000, M)],
          graceMs: -1,
          outOfOrdernessMs: 0,
          aggregator: countAgg,
          emit: () => undefined,
        }),
    ).toThrow('invalid pane windows configuration: windows.x.sizeMs: must be a positive multiple of 60000; graceMs: must be >= 0, got -1');
  });
});

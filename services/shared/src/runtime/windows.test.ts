import { describe, expect, it } from 'vitest';
import { MINUTE_MS, alignDown, hopping, tumbling, windowEndsAt, windowSpecProblems, windowsContaining } from './windows.js';

const T0 = Date.UTC(2026, 2, 10, 7, 0, 0); // 2026-03-10T07:00:00Z, minute-aligned
const oneMin = tumbling('1m', MINUTE_MS);
const tenMin = hopping('10m', 10 * MINUTE_MS, MINUTE_MS);

describe('alignDown', () => {
  it.each([
    [T0, T0],
    [T0 + 1, T0],
    [T0 + MINUTE_MS - 1, T0],
    [T0 + MINUTE_MS, T0 + MINUTE_MS],
    [T0 - 1, T0 - MINUTE_MS],
    [-1, -MINUTE_MS],
    [0, 0],
  ])('alignDown(%d, 1 min) = %d', (ts, expected) => {
    expect(alignDown(ts, MINUTE_MS)).toBe(expected);
  });
});

describe('tumbling 1-minute windows', () => {
  it.each([
    ['exactly on a boundary belongs to the window it starts', T0, T0, T0 + MINUTE_MS],
    ['one ms before a boundary belongs to the earlier window', T0 - 1, T0 - MINUTE_MS, T0],
    ['mid-minute', T0 + 30_500, T0, T0 + MINUTE_MS],
    ['last ms of a window', T0 + MINUTE_MS - 1, T0, T0 + MINUTE_MS],
  ])('%s', (_name, ts, start, end) => {
    expect(windowsContaining(ts, oneMin)).toEqual([{ startMs: start, endMs: end }]);
  });
});

describe('hopping 10-minute windows advancing by 1 minute', () => {
  it('an event belongs to exactly ten windows, oldest first', () => {
    const ws = windowsContaining(T0 + 15_000, tenMin);
    expect(ws).toHaveLength(10);
    expect(ws[0]).toEqual({ startMs: T0 - 9 * MINUTE_MS, endMs: T0 + MINUTE_MS });
    expect(ws[9]).toEqual({ startMs: T0, endMs: T0 + 10 * MINUTE_MS });
  });

  it.each([
    ['on a boundary', T0, T0 - 9 * MINUTE_MS, T0 + 10 * MINUTE_MS],
    ['1 ms before a boundary', T0 - 1, T0 - 10 * MINUTE_MS, T0 + 9 * MINUTE_MS],
  ])('%s: first and last window', (_name, ts, firstStart, lastEnd) => {
    const ws = windowsContaining(ts, tenMin);
    expect(ws[0].startMs).toBe(firstStart);
    expect(ws[ws.length - 1].endMs).toBe(lastEnd);
    for (const w of ws) {
      expect(w.startMs <= ts && ts < w.endMs).toBe(true);
      expect(w.endMs - w.startMs).toBe(10 * MINUTE_MS);
    }
  });

  it('window ends are aligned to the advance', () => {
    expect(windowEndsAt(T0, tenMin)).toBe(true);
    expect(windowEndsAt(T0 + 1000, tenMin)).toBe(false);
  });
});

describe('windowSpecProblems', () => {
  it('accepts the statistics windows', () => {
    expect(windowSpecProblems([oneMin, tenMin], MINUTE_MS)).toEqual([]);
  });
  it.each([
    [[hopping('x', 90_000, MINUTE_MS)], ['windows.x.sizeMs: must be a positive multiple of 60000']],
    [[hopping('x', MINUTE_MS, 2 * MINUTE_MS)], ['windows.x.advanceMs: must not exceed sizeMs (gaps between windows lose events)']],
    [[oneMin, oneMin], ['windows.1m: duplicate window name']],
    [[], ['windows: at least one window is required']],
  ])('rejects %j', (specs, problems) => {
    expect(windowSpecProblems(specs, MINUTE_MS)).toEqual(problems);
  });
});

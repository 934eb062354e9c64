import { describe, expect, it } from 'vitest';
import type { AlertStore } from '../store/store.js';
import { testNetwork } from '../testing/harness.js';
import { SegmentsView } from './segments-view.js';

describe('SegmentsView', () => {
  it.each([
    // [ms after the first build, scores changed since, builds in all]
    [500, false, 1],
    [500, true, 1],
    [1_000, true, 2],
    [29_999, false, 1],
    [30_000, false, 2],
  ])('%i ms after a build (scores changed: %s) it has built %i time(s)', async (later, changed, builds) => {
    let calls = 0;
    const store = { latestScores: async () => (calls++, new Map()) } as unknown as AlertStore;
    let now = 0;
    const view = new SegmentsView(testNetwork(), store, { minRebuildMs: 1_000, maxAgeMs: 30_000 }, () => now);
    await view.body();
    now = later;
    if (changed) view.invalidate();
    await view.body();
    expect(calls).toBe(builds);
  });

  it('builds once for requests that arrive together', async () => {
    let calls = 0;
    const store = { latestScores: async () => (calls++, new Map()) } as unknown as AlertStore;
    const view = new SegmentsView(testNetwork(), store, { minRebuildMs: 0, maxAgeMs: 0 });
    const bodies = await Promise.all([view.body(), view.body(), view.body()]);
    expect(calls).toBe(1);
    expect(new Set(bodies.map((b) => b.json)).size).toBe(1);
  });
});

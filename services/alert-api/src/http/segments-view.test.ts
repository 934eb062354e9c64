import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { AlertStore } from '../store/store.js';
import { testNetwork } from '../testing/harness.js';
import type { ScoreSummary } from './schemas.js';
import { baseFeatures, SegmentsView } from './segments-view.js';

const summary = (windowEndMs: number): ScoreSummary => ({ windowEndMs, risk: 0.01, relativeRisk: 3, level: 'high', factors: [{ name: 'speed', share: 1 }], modelVersion: 'm' });
const tagOf = (json: string) => createHash('sha256').update(json).digest('base64url').slice(0, 22);

function view(latest: Map<string, ScoreSummary>): { view: SegmentsView; reads: () => number } {
  let reads = 0;
  const store = { latestScores: async () => (reads++, latest) } as unknown as AlertStore;
  return { view: new SegmentsView(testNetwork(), store, { minRebuildMs: 0, maxAgeMs: 30_000 }), reads: () => reads };
}

describe('SegmentsView', () => {
  it('geometry: every segment without a score, built once, gzipped, tagged by its content', async () => {
    const { view: v, reads } = view(new Map());
    const [a, b] = [await v.geometry(), await v.geometry()];
    const json = JSON.stringify({ type: 'FeatureCollection', features: baseFeatures(testNetwork()) });
    expect([a === b, a.json === json, a.tag, gunzipSync(a.gzip).toString('utf8') === json, reads()]).toEqual([true, true, tagOf(json), true, 0]);
    expect(Object.keys(JSON.parse(a.json).features[0].properties)).toEqual(['segmentId', 'name', 'road', 'direction', 'lanes', 'speedLimitKmh']);
  });

  it('scores: the network\u2019s scored segments in its order, with the geometry\u2019s tag; others of the store left out', async () => {
    const net = testNetwork();
    const [first, second] = [net.segments[0].id, net.segments[1].id];
    const { view: v } = view(new Map([[second, summary(2)], ['NOT-IN-NETWORK', summary(3)], [first, summary(1)]]));
    const rep = await v.scores();
    expect(rep.json).toBe(JSON.stringify({ networkVersion: (await v.geometry()).tag, scores: { [first]: summary(1), [second]: summary(2) } }));
    expect(rep.tag).toBe(tagOf(rep.json));
  });

  it('invalidate: both live bodies read the store again, the geometry stays', async () => {
    const latest = new Map<string, ScoreSummary>();
    const { view: v, reads } = view(latest);
    const before = [await v.collection(), await v.scores(), await v.geometry()];
    latest.set(testNetwork().segments[0].id, summary(1));
    const unchanged = [await v.collection(), await v.scores()];
    v.invalidate();
    const after = [await v.collection(), await v.scores(), await v.geometry()];
    expect([reads(), unchanged[0] === before[0], unchanged[1] === before[1]]).toEqual([4, true, true]);
    expect([after[0].tag === before[0].tag, after[1].tag === before[1].tag, after[2] === before[2]]).toEqual([false, false, true]);
  });
});

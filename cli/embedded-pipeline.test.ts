import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ScoredMinute } from '@saferoads/risk-scorer';
import { createLogger } from '@saferoads/shared/logger';
import { loadNetwork } from '@saferoads/shared/network';
import { DEMO_INCIDENT, incidentOf } from './commands/start.js';
import { startEmbeddedPipeline } from './embedded-pipeline.js';
import { LiveView } from './live-view.js';
import { loadRiskModel } from './risk-model.js';

const silent = createLogger('test', { destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const network = loadNetwork();
const START = Date.parse('2026-03-10T06:30:00Z');

describe('startEmbeddedPipeline', () => {
  it.each([1, 3])('scores every segment every minute with the committed model, the weather in the rows (%i partitions, speed 0)', async (partitions) => {
    const { spec, slot } = await loadRiskModel({});
    const minutes = 12;
    const scored: ScoredMinute[] = [];
    const printed: string[] = [];
    const view = new LiveView(network, (t) => printed.push(t), 3);
    const p = await startEmbeddedPipeline({
      network, spec, model: slot, log: silent, seed: 3, speed: 0, startMs: START, minutes, partitions,
      incidents: incidentOf(true, network, START),
      onStats: (r) => view.add(r),
      onScored: (s) => {
        scored.push(s);
        view.scored(s);
      },
    });
    await p.run();
    const byMinute = new Map<number, string[]>();
    for (const s of scored) for (const x of s.scores) byMinute.set(x.windowEndMs, [...(byMinute.get(x.windowEndMs) ?? []), x.segmentId]);
    const ids = network.segments.map((s) => s.id).sort();
    expect([...byMinute.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: minutes }, (_, m) => START + (m + 1) * 60_000));
    for (const [, segs] of byMinute) expect(segs.sort()).toEqual(ids);
    expect(p.risk.counters).toMatchObject({ scores: 72 * minutes, scoreFailures: 0, invalid: 0 });
    expect(scored.every((s) => s.scores.every((x) => x.modelVersion === 'risk-v1' && x.risk > 0 && x.risk < 1))).toBe(true);
    // The weather stations' readings reached the scorer's table: rows have weather (not the "missing" default).
    const last = scored.flatMap((s) => s.scores).filter((x) => x.windowEndMs === START + minutes * 60_000);
    const weatherMissing = spec.features.findIndex((f) => f.name === 'weatherMissing');
    expect(last.every((x) => x.features[weatherMissing] === 0)).toBe(true);
    // One risk table per minute, after the traffic tables.
    expect(printed.filter((t) => t.startsWith('  risk '))).toHaveLength(minutes);
  });
});

describe('--incident', () => {
  it('bare: the demo incident two minutes in', () => {
    expect(incidentOf(true, network, START)).toEqual([{ segmentId: DEMO_INCIDENT.segmentId, startMs: START + 120_000, durationMin: 45, lanesBlocked: 1 }]);
  });
  it('a spec as saferoads simulate takes it', () => {
    expect(incidentOf('A13-S-005@2026-03-10T07:00:00Z/20/2', network, START)).toEqual([{ segmentId: 'A13-S-005', startMs: Date.parse('2026-03-10T07:00:00Z'), durationMin: 20, lanesBlocked: 2 }]);
    expect(incidentOf(undefined, network, START)).toEqual([]);
  });
  it.each([
    ['A13-X-1@2026-03-10T07:00:00Z/20', 'unknown segment "A13-X-1"'],
    ['A13-N-020@2026-03-10T07:00:00Z/20/3', 'A13-N-020 has 2 lanes, cannot block 3'],
    ['A13-N-020', 'must look like segmentId@ISO-time/minutes[/lanes]'],
  ])('refuses %s', (spec, message) => {
    expect(() => incidentOf(spec, network, START)).toThrow(message);
  });
});

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ScoredMinute } from '@saferoads/risk-scorer';
import { createLogger } from '@saferoads/shared/logger';
import { loadNetwork } from '@saferoads/shared/network';
import { startEmbeddedApi } from './embedded-api.js';
import { startEmbeddedPipeline } from './embedded-pipeline.js';
import { loadRiskModel } from './risk-model.js';

const silent = createLogger('test', { destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const network = loadNetwork();
const START = Date.parse('2026-03-10T06:30:00Z');
const MIN = 60_000;

describe('npm start: thresholds set through the embedded API', () => {
  it('reach the embedded scorer over the in-process bus and apply from their minute on', async () => {
    const { spec, slot } = await loadRiskModel({});
    const scored: ScoredMinute[] = [];
    const pipeline = await startEmbeddedPipeline({ network, spec, model: slot, log: silent, seed: 3, speed: 0, startMs: START, minutes: 4, onScored: (s) => scored.push(s) });
    const embedded = await startEmbeddedApi({ bus: pipeline.bus, network, log: silent, port: 0, host: '127.0.0.1', env: {}, eventNow: pipeline.clock });
    try {
      const t = {
        levelBasis: 'relativeRisk',
        // Every score is at least elevated from minute 2 on.
        levels: { elevated: 1e-9, high: 1e6, severe: 1e7 },
        alerts: { raiseLevel: 'high', raiseAfterMinutes: 3, escalateAfterMinutes: 1, deescalateAfterMinutes: 3, clearBelow: 'elevated', resolveAfterMinutes: 5 },
      };
      const res = await embedded.api.app.inject({
        method: 'PUT',
        url: '/v1/thresholds',
        headers: { authorization: `Bearer ${embedded.keys.admin}`, 'content-type': 'application/json', 'if-match': '"0"' },
        payload: JSON.stringify({ thresholds: t, note: 'demo', effectiveFromMs: START + 2 * MIN }),
      });
      expect([res.statusCode, res.json().version, res.json().publishedAtMs === null]).toEqual([200, 1, false]);
      for (let i = 0; i < 200 && pipeline.risk.thresholds.latestVersion === 0; i++) await new Promise((r) => setTimeout(r, 5));
      expect(pipeline.risk.thresholds.latestVersion).toBe(1);
      await pipeline.run();
      const byMinute = new Map(scored.map((s) => [(s.minute.windowEndMs - START) / MIN, s]));
      expect([...byMinute.keys()].sort()).toEqual([1, 2, 3, 4]);
      expect([1, 2, 3, 4].map((m) => byMinute.get(m)?.thresholdsVersion)).toEqual([0, 1, 1, 1]);
      expect([2, 3, 4].every((m) => byMinute.get(m)?.scores.every((s) => s.level === 'elevated'))).toBe(true);
      expect(byMinute.get(1)?.scores.some((s) => s.level === 'low')).toBe(true);
    } finally {
      await pipeline.stop();
      await embedded.close();
    }
  });
});

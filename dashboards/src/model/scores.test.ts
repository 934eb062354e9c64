import { describe, expect, it } from 'vitest';
import { score } from './fixtures.js';
import { ScoreTable, levelCode, levelOfCode } from './scores.js';

const index = new Map([['A', 0], ['B', 1], ['C', 2]]);

describe('score table', () => {
  it('applies a batch: new scores, level changes, stale and unknown segments counted', () => {
    const t = new ScoreTable(index);
    expect(t.counts()).toEqual([3, 0, 0, 0, 0]);
    const r1 = t.apply([
      { segmentId: 'A', ...score({ windowEndMs: 60_000, level: 'low' }) },
      { segmentId: 'B', ...score({ windowEndMs: 60_000, level: 'high' }) },
      { segmentId: 'Z', ...score({ windowEndMs: 60_000 }) },
    ]);
    expect(r1).toEqual({ changed: 2, levelChanged: 2, stale: 0, unknown: 1 });
    expect([...t.levels]).toEqual([1, 3, 0]);
    expect(t.latestWindowEndMs).toBe(60_000);
    const r2 = t.apply([
      { segmentId: 'A', ...score({ windowEndMs: 120_000, level: 'low', relativeRisk: 1.3 }) },
      { segmentId: 'B', ...score({ windowEndMs: 0, level: 'severe' }) },
      { segmentId: 'C', ...score({ windowEndMs: 120_000, level: 'severe' }) },
    ]);
    expect(r2).toEqual({ changed: 2, levelChanged: 1, stale: 1, unknown: 0 });
    expect([...t.levels]).toEqual([1, 3, 4]);
    expect(t.scores[0]?.relativeRisk).toBe(1.3);
    expect(t.counts()).toEqual([0, 1, 0, 1, 1]);
    expect(t.latestWindowEndMs).toBe(120_000);
  });

  it('keeps only the summary of a stream score (no join details or features)', () => {
    const t = new ScoreTable(index);
    t.apply([{ segmentId: 'A', ...score(), complete: true, missing: [], defaults: 0, baselineRisk: 0.001 } as never]);
    expect(Object.keys(t.scores[0]!).sort()).toEqual(['factors', 'level', 'modelVersion', 'relativeRisk', 'risk', 'windowEndMs']);
  });

  it.each([
    [null, 0],
    ['low', 1],
    ['elevated', 2],
    ['high', 3],
    ['severe', 4],
  ] as const)('codes level %s as %d and back', (level, code) => {
    expect(levelCode(level)).toBe(code);
    expect(levelOfCode(code)).toBe(level);
  });
});

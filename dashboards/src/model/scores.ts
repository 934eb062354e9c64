import { LEVELS } from './levels.js';
import type { RiskLevel, ScoreSummary } from './types.js';

/** A score as the stream (a RiskScore) or the segment collection (a ScoreSummary plus its segment) gives it. */
export type IncomingScore = ScoreSummary & { readonly segmentId: string };

export function summarise(s: IncomingScore): ScoreSummary {
  return { windowEndMs: s.windowEndMs, risk: s.risk, relativeRisk: s.relativeRisk, level: s.level, factors: s.factors, modelVersion: s.modelVersion };
}

/** 0 for no score, then 1 + the level's rank. */
export function levelCode(level: RiskLevel | null): number {
  return level === null ? 0 : LEVELS.indexOf(level) + 1;
}

export function levelOfCode(code: number): RiskLevel | null {
  return code === 0 ? null : LEVELS[code - 1];
}

export interface ApplyResult {
  /** Segment indexes whose score changed. */
  readonly changed: number;
  /** Segment indexes whose level changed (they move to another drawing batch). */
  readonly levelChanged: number;
  /** Scores older than the one held, dropped. */
  readonly stale: number;
  /** Scores of segments the page does not have. */
  readonly unknown: number;
}

/**
 * The latest score of every segment of the map, by the segment's index in the drawn network.
 * Levels are kept in a byte array as well: drawing walks it 60 times a second.
 */
export class ScoreTable {
  readonly scores: (ScoreSummary | null)[];
  readonly levels: Uint8Array;
  /** Newest window end seen, or null. */
  latestWindowEndMs: number | null = null;

  constructor(private readonly indexOf: ReadonlyMap<string, number>) {
    this.scores = new Array<ScoreSummary | null>(indexOf.size).fill(null);
    this.levels = new Uint8Array(indexOf.size);
  }

  /** Applies a batch in order; a score older than the segment's current one is stale and dropped. */
  apply(batch: Iterable<IncomingScore>): ApplyResult {
    let changed = 0, levelChanged = 0, stale = 0, unknown = 0;
    for (const s of batch) {
      const i = this.indexOf.get(s.segmentId);
      if (i === undefined) {
        unknown++;
        continue;
      }
      const current = this.scores[i];
      if (current && current.windowEndMs > s.windowEndMs) {
        stale++;
        continue;
      }
      this.scores[i] = summarise(s);
      changed++;
      const code = levelCode(s.level);
      if (this.levels[i] !== code) {
        this.levels[i] = code;
        levelChanged++;
      }
      if (this.latestWindowEndMs === null || s.windowEndMs > this.latestWindowEndMs) this.latestWindowEndMs = s.windowEndMs;
    }
    return { changed, levelChanged, stale, unknown };
  }

  /** Segments per level code (0 = no score). */
  counts(): number[] {
    const out = [0, 0, 0, 0, 0];
    for (const c of this.levels) out[c]++;
    return out;
  }
}

import type { FeatureSpec } from '@saferoads/model-spec';
import { SaferoadsError } from '@saferoads/shared/errors';
import type { FeatureBatch } from '../features/batch.js';
import type { JoinGaps } from '../join/types.js';
import type { ScoringModel } from '../model/scorer.js';
import { scoresConfig, type ScoresConfig } from './config.js';
import { featureGroups, type FeatureGroup } from './groups.js';
import { levelOf, type RiskLevel } from './levels.js';
import { occlusionBatch, topFactors, type Factor } from './occlusion.js';

/** One segment's score of one minute. */
export interface SegmentScore {
  readonly segmentId: string;
  readonly windowEndMs: number;
  /** The model's probability (spec output: a crash within the horizon). */
  readonly risk: number;
  /** The model's risk for this segment in reference conditions: its road layout, everything else at reference. */
  readonly baselineRisk: number;
  /** risk / max(baselineRisk, minBaselineRisk). */
  readonly relativeRisk: number;
  readonly level: RiskLevel;
  readonly factors: readonly Factor[];
  readonly modelVersion: string;
  /** The row the model scored (spec order): a view into the minute's batch. */
  readonly features: Float32Array;
  /** Features that took their default. */
  readonly defaults: number;
  /** What the join lacked for this segment-minute. */
  readonly missing: JoinGaps;
}

export interface RiskScoringOptions {
  readonly spec: FeatureSpec;
  readonly config?: Partial<ScoresConfig>;
  /** The factor groups (FACTOR_GROUPS over the spec by default). */
  readonly groups?: readonly FeatureGroup[];
}

/**
 * Scores a minute's batch in one inference (docs/risk-scorer.md): risk, relativeRisk against the
 * segment's baseline in reference conditions, level, and the top factors by occlusion.
 */
export class RiskScoring {
  readonly config: ScoresConfig;
  readonly groups: readonly FeatureGroup[];
  private readonly width: number;

  constructor(opts: RiskScoringOptions) {
    this.config = scoresConfig(opts.config);
    this.groups = opts.groups ?? featureGroups(opts.spec);
    this.width = opts.spec.features.length;
  }

  async score(batch: FeatureBatch, model: ScoringModel): Promise<SegmentScore[]> {
    if (batch.width !== this.width || model.width !== this.width || model.reference.length !== this.width) {
      throw new SaferoadsError('STATE_INVARIANT', `width mismatch: spec ${this.width}, batch ${batch.width}, model ${model.width}, reference ${model.reference.length}`);
    }
    const n = batch.rows;
    if (n === 0) return [];
    const layout = occlusionBatch(batch.data, n, this.width, this.groups, model.reference);
    const out = await model.score(layout.data, layout.rows);
    if (out.length !== layout.rows) throw new SaferoadsError('STATE_INVARIANT', `model ${model.version} returned ${out.length} values for ${layout.rows} rows`);
    for (let i = 0; i < out.length; i++) {
      if (!(out[i] >= 0 && out[i] <= 1)) throw new SaferoadsError('STATE_INVARIANT', `model ${model.version} returned ${out[i]} for row ${i}: not a probability`);
    }
    const { levelBasis, levels, minBaselineRisk, topFactors: k } = this.config;
    const baseline = (layout.blocks - 1) * n;
    const scores: SegmentScore[] = [];
    for (let r = 0; r < n; r++) {
      const risk = out[r];
      const baselineRisk = out[baseline + r];
      const relativeRisk = risk / Math.max(baselineRisk, minBaselineRisk);
      const s = batch.segments[r];
      scores.push({
        segmentId: s.segmentId,
        windowEndMs: batch.windowEndMs,
        risk,
        baselineRisk,
        relativeRisk,
        level: levelOf(levelBasis === 'risk' ? risk : relativeRisk, levels),
        factors: topFactors(out, layout, this.groups, r, k),
        modelVersion: model.version,
        features: batch.data.subarray(r * this.width, (r + 1) * this.width),
        defaults: batch.defaults[r],
        missing: s.missing,
      });
    }
    return scores;
  }
}

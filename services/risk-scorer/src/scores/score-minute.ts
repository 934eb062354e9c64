import type { FeatureSpec } from '@saferoads/model-spec';
import { SaferoadsError } from '@saferoads/shared/errors';
import type { FeatureBatch } from '../features/batch.js';
import type { JoinGaps } from '../join/types.js';
import type { ScoringModel } from '../model/scorer.js';
import { scoresConfig, type ScoresConfig } from './config.js';
import { featureGroups, type FeatureGroup } from './groups.js';
import { levelOf, levelRank, type RiskLevel } from './levels.js';
import { baselineColumns, blockBatch, occlusionBatch, topFactors, type Factor, type OcclusionLayout } from './occlusion.js';

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

/** What a score's level is read from: the basis and the cut points on it. */
export type LevelCut = Pick<ScoresConfig, 'levelBasis' | 'levels'>;

export interface RiskScoringOptions {
  readonly spec: FeatureSpec;
  readonly config?: Partial<ScoresConfig>;
  /** The factor groups (FACTOR_GROUPS over the spec by default). */
  readonly groups?: readonly FeatureGroup[];
}

/**
 * Scores a minute's batch (docs/risk-scorer.md): risk, relativeRisk against the segment's
 * baseline in reference conditions, level, and the top factors by occlusion; in one inference,
 * or in two when only scores from factorsMinLevel up are explained.
 */
export class RiskScoring {
  readonly config: ScoresConfig;
  readonly groups: readonly FeatureGroup[];
  private readonly width: number;
  /** The columns a baseline row keeps from the segment's row: the road layout. */
  private readonly keptColumns: Int32Array;
  /**
   * Each model's baseline risk per segment, with the road-layout values it was computed from. A
   * baseline row is the reference values with the segment's road layout, which does not change
   * from minute to minute, so it is scored once per model and segment (and again if the layout
   * values differ), not every minute: the first inference holds n rows instead of 2 n. Only
   * when factors are not computed for every row (explaining all keeps the one inference).
   */
  private readonly baselines = new WeakMap<ScoringModel, Map<string, { readonly kept: Float32Array; readonly risk: number }>>();

  constructor(opts: RiskScoringOptions) {
    this.config = scoresConfig(opts.config);
    this.groups = opts.groups ?? featureGroups(opts.spec);
    this.width = opts.spec.features.length;
    const replaced = new Set(baselineColumns(this.groups));
    this.keptColumns = Int32Array.from({ length: this.width }, (_, k) => k).filter((k) => !replaced.has(k));
  }

  /**
   * `cut` is the level basis and cut points in force for the batch's minute (thresholds set at
   * runtime, already validated); this scorer's configuration otherwise.
   */
  async score(batch: FeatureBatch, model: ScoringModel, cut: LevelCut = this.config): Promise<SegmentScore[]> {
    if (batch.width !== this.width || model.width !== this.width || model.reference.length !== this.width) {
      throw new SaferoadsError('STATE_INVARIANT', `width mismatch: spec ${this.width}, batch ${batch.width}, model ${model.width}, reference ${model.reference.length}`);
    }
    const n = batch.rows;
    if (n === 0) return [];
    const { minBaselineRisk, topFactors: k, factorsMinLevel } = this.config;
    const { levelBasis, levels } = cut;
    const W = this.width;
    const explainAll = factorsMinLevel === 'low' && k > 0;
    // One inference: the rows, each group occluded, the baseline. Or, when only higher levels are
    // explained, the rows and the baseline first, and the groups for those rows in a second one.
    let out: Float32Array;
    let first: OcclusionLayout;
    let baselineOf: (r: number) => number;
    if (explainAll) {
      first = occlusionBatch(batch.data, n, W, this.groups, model.reference);
      out = await this.run(model, first);
      const baseline = (first.blocks - 1) * n;
      baselineOf = (r) => out[baseline + r];
    } else {
      ({ first, out, baselineOf } = await this.withCachedBaselines(batch, model));
    }
    const scores: SegmentScore[] = [];
    const explain: number[] = [];
    const minRank = levelRank(factorsMinLevel);
    for (let r = 0; r < n; r++) {
      const risk = out[r];
      const baselineRisk = baselineOf(r);
      const relativeRisk = risk / Math.max(baselineRisk, minBaselineRisk);
      const level = levelOf(levelBasis === 'risk' ? risk : relativeRisk, levels);
      const s = batch.segments[r];
      const factors = explainAll ? topFactors(out, first, this.groups, r, k) : [];
      if (!explainAll && k > 0 && levelRank(level) >= minRank) explain.push(r);
      scores.push({
        segmentId: s.segmentId,
        windowEndMs: batch.windowEndMs,
        risk,
        baselineRisk,
        relativeRisk,
        level,
        factors,
        modelVersion: model.version,
        features: batch.data.subarray(r * W, (r + 1) * W),
        defaults: batch.defaults[r],
        missing: s.missing,
      });
    }
    if (explain.length > 0) {
      const rows = new Float32Array(explain.length * W);
      explain.forEach((r, i) => rows.set(batch.data.subarray(r * W, (r + 1) * W), i * W));
      const second = blockBatch(rows, explain.length, W, model.reference, this.groups.map((g) => g.columns));
      const out2 = await this.run(model, second);
      explain.forEach((r, i) => (scores[r] = { ...scores[r], factors: topFactors(out2, second, this.groups, i, k) }));
    }
    return scores;
  }

  /**
   * The first inference without factors: the n rows, then a baseline row for each segment whose
   * baseline this model has not scored with the same road layout yet.
   */
  private async withCachedBaselines(batch: FeatureBatch, model: ScoringModel): Promise<{ first: OcclusionLayout; out: Float32Array; baselineOf: (r: number) => number }> {
    const n = batch.rows;
    const W = this.width;
    let cache = this.baselines.get(model);
    if (!cache) this.baselines.set(model, (cache = new Map()));
    const kept = this.keptColumns;
    const known = new Float64Array(n).fill(Number.NaN);
    const misses: number[] = [];
    for (let r = 0; r < n; r++) {
      const hit = cache.get(batch.segments[r].segmentId);
      const o = r * W;
      let same = hit !== undefined;
      for (let i = 0; same && i < kept.length; i++) same = hit!.kept[i] === batch.data[o + kept[i]];
      if (same) known[r] = hit!.risk;
      else misses.push(r);
    }
    const data = new Float32Array((n + misses.length) * W);
    data.set(batch.data.subarray(0, n * W));
    const replaced = baselineColumns(this.groups);
    misses.forEach((r, i) => {
      const o = (n + i) * W;
      data.set(batch.data.subarray(r * W, (r + 1) * W), o);
      for (const k of replaced) data[o + k] = model.reference[k];
    });
    const first: OcclusionLayout = { n, blocks: 2, rows: n + misses.length, data };
    const out = await this.run(model, first);
    misses.forEach((r, i) => {
      known[r] = out[n + i];
      cache.set(batch.segments[r].segmentId, { kept: Float32Array.from(kept, (k) => batch.data[r * W + k]), risk: out[n + i] });
    });
    return { first, out, baselineOf: (r) => known[r] };
  }

  /** One inference, its answers checked: one probability per row. */
  private async run(model: ScoringModel, layout: OcclusionLayout): Promise<Float32Array> {
    const out = await model.score(layout.data, layout.rows);
    if (out.length !== layout.rows) throw new SaferoadsError('STATE_INVARIANT', `model ${model.version} returned ${out.length} values for ${layout.rows} rows`);
    for (let i = 0; i < out.length; i++) {
      if (!(out[i] >= 0 && out[i] <= 1)) throw new SaferoadsError('STATE_INVARIANT', `model ${model.version} returned ${out[i]} for row ${i}: not a probability`);
    }
    return out;
  }
}

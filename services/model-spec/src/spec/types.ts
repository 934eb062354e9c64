import type { WindowName } from '@saferoads/shared/contracts';
import type { ContextFeatureName } from '@saferoads/context';
import type { StatsField } from './stats-fields.js';

export type NeighbourSide = 'upstream' | 'downstream';
export const NEIGHBOUR_SIDES: readonly NeighbourSide[] = ['upstream', 'downstream'];

/**
 * Where a model input comes from. Every value that can be missing (no record, a null field, no
 * neighbour) takes the feature's `default`.
 */
export type FeatureSource =
  /** A field of the segment's own stats record of `window`. */
  | { readonly kind: 'stats'; readonly window: WindowName; readonly field: StatsField }
  /** The 1-minute value minus the 10-minute value of `field`: a sudden change (a drop in speed is a queue's tail arriving). */
  | { readonly kind: 'windowDifference'; readonly field: StatsField }
  /**
   * The value before minus the value after, in the direction of travel, for the same window:
   * upstream: neighbours − this segment; downstream: this segment − neighbours. Positive for a
   * speed that drops along the road (a shockwave). Several neighbours (a merge or a diverge) are
   * combined by their vehicle counts (a plain mean when every count is 0).
   */
  | { readonly kind: 'neighbourDifference'; readonly neighbour: NeighbourSide; readonly window: WindowName; readonly field: StatsField }
  /** 1 when the record of `window` of at least one neighbour on that side was there to join, else 0. */
  | { readonly kind: 'neighbourPresent'; readonly neighbour: NeighbourSide; readonly window: WindowName }
  /** A context feature of @saferoads/context (CONTEXT_FEATURES), by name. */
  | { readonly kind: 'context'; readonly feature: ContextFeatureName };

export type SourceKind = FeatureSource['kind'];
export const SOURCE_KINDS: readonly SourceKind[] = ['stats', 'windowDifference', 'neighbourDifference', 'neighbourPresent', 'context'];

export interface FeatureDef {
  readonly name: string;
  readonly unit: string;
  readonly description: string;
  /** The value when the source has none (no record, a null field, no neighbour). */
  readonly default: number;
  readonly source: FeatureSource;
}

/** What the model outputs. */
export interface OutputSpec {
  readonly name: string;
  readonly kind: 'probability';
  /** The event the probability is of. */
  readonly event: string;
  readonly horizonMinutes: number;
  readonly description: string;
}

/** How the scorer hands the features to the model. */
export interface InputSpec {
  /** Name of the model's input tensor. */
  readonly tensor: string;
  readonly dtype: 'float32';
  readonly description: string;
}

/** models/feature-spec.json: the model's inputs in order, and its output. */
export interface FeatureSpec {
  readonly specVersion: string;
  readonly name: string;
  readonly description: string;
  readonly input: InputSpec;
  readonly output: OutputSpec;
  readonly features: readonly FeatureDef[];
}

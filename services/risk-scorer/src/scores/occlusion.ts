import type { FeatureGroup } from './groups.js';

/** The rows of one inference for n segments: which block of n rows holds what. */
export interface OcclusionLayout {
  /** Segments (rows of each block). */
  readonly n: number;
  /** Block 0: the segments' rows as they are. Block 1 + g: with group g at its reference values. Last block: the baseline. */
  readonly blocks: number;
  readonly rows: number;
  readonly data: Float32Array;
}

/**
 * Rows for one inference: block 0 is the n rows as they are; block 1 + b is the same rows with
 * the columns of `occluded[b]` set to their reference values.
 */
export function blockBatch(base: Float32Array, n: number, width: number, reference: Float32Array, occluded: readonly (readonly number[])[]): OcclusionLayout {
  const blocks = occluded.length + 1;
  const block = n * width;
  const data = new Float32Array(blocks * block);
  for (let b = 0; b < blocks; b++) data.set(base.subarray(0, block), b * block);
  occluded.forEach((columns, i) => {
    const o0 = (1 + i) * block;
    for (let r = 0; r < n; r++) {
      const o = o0 + r * width;
      for (const k of columns) data[o + k] = reference[k];
    }
  });
  return { n, blocks, rows: blocks * n, data };
}

/** The columns set to reference in the baseline: every group that is not road layout. */
export function baselineColumns(groups: readonly FeatureGroup[]): number[] {
  return groups.filter((g) => !g.static).flatMap((g) => g.columns);
}

/**
 * The batch of rows that scores a minute and explains it in one inference: the rows as they are,
 * then for each group the same rows with that group's features replaced by their reference values
 * (occlusion), then the baseline rows: every non-static group at reference, the road layout kept.
 */
export function occlusionBatch(base: Float32Array, n: number, width: number, groups: readonly FeatureGroup[], reference: Float32Array): OcclusionLayout {
  return blockBatch(base, n, width, reference, [...groups.map((g) => g.columns), baselineColumns(groups)]);
}

/** A factor behind a score: its group and its share of the risk the contributing groups add. */
export interface Factor {
  readonly name: string;
  readonly share: number;
}

/**
 * The top `k` contributors of row r: drop_g = risk − risk with group g at reference; groups that
 * raise the risk (drop > 0) contribute, each with share drop_g / (sum of the positive drops). Largest
 * first, ties in group order. Empty when no group raises the risk.
 */
export function topFactors(out: Float32Array, layout: OcclusionLayout, groups: readonly FeatureGroup[], r: number, k: number): Factor[] {
  const risk = out[r];
  let total = 0;
  const drops: { g: number; drop: number }[] = [];
  for (let g = 0; g < groups.length; g++) {
    const drop = risk - out[(1 + g) * layout.n + r];
    if (drop > 0) {
      total += drop;
      drops.push({ g, drop });
    }
  }
  drops.sort((a, b) => b.drop - a.drop || a.g - b.g);
  return drops.slice(0, k).map((d) => ({ name: groups[d.g].name, share: d.drop / total }));
}

/**
 * A paired percentile bootstrap of two predictors' ROC AUCs on the same labelled rows, and of
 * their ratio: the uncertainty of the model card's "model AUC / oracle AUC at least 0.95"
 * (models/MODEL_CARD.md). models/training/saferoads_risk/bootstrap.py is the same computation in
 * numpy and gives the same numbers to the last bit (the random stream below is a pure function of
 * counters so that numpy can compute it vectorised; cli/backtest/fixtures pins both to one file).
 * Pure functions; no I/O.
 */
import { rocAuc, type Labels, type Scores } from './metrics.js';

export const DEFAULT_RESAMPLES = 1000;
export const DEFAULT_BOOTSTRAP_SEED = 1;
export const INTERVAL_LEVEL = 0.95;
/** The model card's target for model AUC / oracle AUC. */
export const AUC_RATIO_TARGET = 0.95;

/** splitmix32's finaliser, as the crash simulator's draws use it (simulators/crashes/src/draw.ts). */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const seedHash = (seed: number) => mix32(mix32(seed >>> 0) ^ mix32(Math.floor(seed / 0x1_0000_0000)));

/**
 * Draw `k` of resample `b` under `seed`: uniform in [0, 1) with 53 bits from two 32-bit hashes.
 * A function of (seed, b, k) alone, not a stream with state, so numpy computes a whole resample's
 * draws at once and gets the same doubles.
 */
export function resampleUniform(seed: number, b: number, k: number): number {
  return uniformOf(mix32(seedHash(seed) ^ mix32(b)), k);
}

function uniformOf(resampleKey: number, k: number): number {
  const lo = mix32(resampleKey ^ mix32(k));
  const hi = mix32(lo ^ 0x5bd1e995 ^ resampleKey);
  return ((hi >>> 11) * 0x1_0000_0000 + lo) / 2 ** 53;
}

/** What one resample draws: units (rows, or clusters of rows), in two strata resampled apart. */
export interface ResamplePlan {
  readonly by: 'row' | 'cluster';
  readonly rows: number;
  readonly units: number;
  /** The unit of each row. */
  readonly unitOfRow: Uint32Array;
  /** Units holding at least one positive row, ascending; then the other units, ascending. */
  readonly strata: readonly [Uint32Array, Uint32Array];
}

/**
 * Rows, or the clusters `clusters` names (one key per row, numbered in order of first
 * appearance), stratified by whether the unit holds a positive.
 *
 * Why stratified: the AUC is a two-sample statistic, a function of the positives and the
 * negatives given how many there are of each (Mann–Whitney). Resampling each class on its own, as
 * pROC's ci.auc does by default, keeps those counts as the data has them: with crashes rare, an
 * unstratified resample would also vary the number of positives, which adds noise the AUC does not
 * have and, on small files, leaves resamples without a positive. With rows as units the strata are
 * exactly the two classes; a cluster holding a positive counts with the positives.
 *
 * Why clusters: rows of one segment-day are not independent (a crash labels the 15 rows before
 * it, and a segment's hazard drifts slowly), so resampling rows understates the spread; resampling
 * whole segment-days keeps what they share.
 */
export function resamplePlan(y: Labels, clusters?: ArrayLike<string | number>): ResamplePlan {
  const n = y.length;
  if (clusters !== undefined && clusters.length !== n) throw new RangeError(`labels and clusters differ in length: ${n} and ${clusters.length}`);
  const unitOfRow = new Uint32Array(n);
  let units = n;
  if (clusters === undefined) {
    for (let i = 0; i < n; i++) unitOfRow[i] = i;
  } else {
    const ids = new Map<string | number, number>();
    for (let i = 0; i < n; i++) {
      let u = ids.get(clusters[i]);
      if (u === undefined) ids.set(clusters[i], (u = ids.size));
      unitOfRow[i] = u;
    }
    units = ids.size;
  }
  const positive = new Uint8Array(units);
  for (let i = 0; i < n; i++) if (y[i] === 1) positive[unitOfRow[i]] = 1;
  const withPositive: number[] = [];
  const without: number[] = [];
  for (let u = 0; u < units; u++) (positive[u] === 1 ? withPositive : without).push(u);
  return { by: clusters === undefined ? 'row' : 'cluster', rows: n, units, unitOfRow, strata: [Uint32Array.from(withPositive), Uint32Array.from(without)] };
}

/**
 * How often resample `b` draws each unit: as many draws from each stratum as it has units, with
 * replacement. Draws 0 .. |first stratum| − 1 pick from the first stratum, the rest from the
 * second.
 */
export function resampleCounts(plan: ResamplePlan, seed: number, b: number, into = new Uint32Array(plan.units)): Uint32Array {
  into.fill(0);
  const key = mix32(seedHash(seed) ^ mix32(b));
  let k = 0;
  for (const stratum of plan.strata) {
    const m = stratum.length;
    for (let j = 0; j < m; j++, k++) into[stratum[Math.floor(uniformOf(key, k) * m)]]++;
  }
  return into;
}

/** A predictor's rows sorted once by score, with the tie groups: a resample's AUC is then one pass. */
interface Ranked {
  /** Unit of the row at each sorted position. */
  readonly unit: Uint32Array;
  readonly label: Uint8Array;
  /** 1 where the next row scores higher (or there is none): the end of a tie group. */
  readonly lastOfTie: Uint8Array;
}

function rank(y: Labels, s: Scores, unitOfRow: Uint32Array): Ranked {
  const n = y.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => s[a] - s[b] || a - b);
  const unit = new Uint32Array(n);
  const label = new Uint8Array(n);
  const lastOfTie = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    unit[i] = unitOfRow[order[i]];
    label[i] = y[order[i]];
    lastOfTie[i] = i + 1 === n || s[order[i + 1]] !== s[order[i]] ? 1 : 0;
  }
  return { unit, label, lastOfTie };
}

/**
 * The AUC of the rows each repeated `counts[its unit]` times: over tie groups in ascending order,
 * the group's positives beat the negatives below and tie its own. Twice the sum is a whole number,
 * exact in a double below 2^53 (some 10^8 rows), so this is the correctly rounded quotient of the
 * same integers as the pairwise count. null when a class is absent.
 */
function weightedAuc(r: Ranked, counts: Uint32Array): number | null {
  const { unit, label, lastOfTie } = r;
  let negativesBelow = 0;
  let positives = 0;
  let twiceWins = 0;
  let gp = 0;
  let gn = 0;
  for (let i = 0; i < unit.length; i++) {
    const w = counts[unit[i]];
    if (label[i] === 1) gp += w;
    else gn += w;
    if (lastOfTie[i] === 1) {
      twiceWins += gp * (2 * negativesBelow + gn);
      negativesBelow += gn;
      positives += gp;
      gp = 0;
      gn = 0;
    }
  }
  if (positives === 0 || negativesBelow === 0) return null;
  return twiceWins / (2 * positives * negativesBelow);
}

/**
 * The value at quantile q of ascending values, interpolated linearly between the two nearest
 * (numpy's default "linear" method; written out so both languages do the same operations).
 */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const i = Math.floor(h);
  if (i + 1 >= n) return sorted[n - 1];
  return sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]);
}

export interface Interval {
  /**
   * On the data itself: the AUC as rocAuc computes it, the ratio of those. Its mid-rank sum is an
   * exact half-integer, so this is the same correctly rounded quotient as the resamples' integer
   * sums and numpy's (sklearn's roc_auc_score, which the card's table shows, can differ in the last bit).
   */
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

export interface AucBootstrap {
  /** Rows, or clusters (segment-days in the backtest and train.py). */
  readonly by: 'row' | 'cluster';
  readonly units: number;
  /** Units holding a positive, and the others: each resample draws that many of each. */
  readonly strata: readonly [number, number];
  readonly seed: number;
  /** Resamples drawn. */
  readonly resamples: number;
  /**
   * Resamples holding both classes: the intervals are their percentiles (a resample of clusters
   * can lack a class, and is then left out). The ratio leaves out as well any resample whose
   * reference AUC is 0, which has no ratio.
   */
  readonly used: number;
  readonly level: number;
  readonly model: Interval;
  readonly reference?: Interval;
  /** model / reference. */
  readonly ratio?: Interval;
  /** Each resample's AUCs (NaN where left out), when asked for. */
  readonly replicates?: { readonly model: Float64Array; readonly reference?: Float64Array };
}

export interface BootstrapOptions {
  /** Default DEFAULT_RESAMPLES (1,000). */
  readonly resamples?: number;
  readonly seed?: number;
  /** A key per row: resample whole clusters (segment-days) instead of rows. */
  readonly clusters?: ArrayLike<string | number>;
  /** Keep each resample's AUCs in the result. */
  readonly replicates?: boolean;
}

function interval(estimate: number, values: Float64Array): Interval {
  const kept = values.filter((v) => !Number.isNaN(v)).sort();
  const tail = (1 - INTERVAL_LEVEL) / 2;
  return { estimate, low: percentile(kept, tail), high: percentile(kept, 1 - tail) };
}

/**
 * 95 % percentile intervals of the model's ROC AUC and, given a reference (the oracle), of the
 * reference's and of the ratio model / reference. Paired: every resample reweights the same rows
 * for both predictors, so what they share (which crashes happen to be in the data) cancels in the
 * ratio, whose interval is much narrower than the two AUCs' intervals would suggest. Resamples
 * are counts per unit over rows sorted once per predictor (nothing is copied). null when either
 * class is absent; an interval is NaN when no resample could be used.
 */
export function aucBootstrap(y: Labels, scores: { readonly model: Scores; readonly reference?: Scores }, o: BootstrapOptions = {}): AucBootstrap | null {
  const resamples = o.resamples ?? DEFAULT_RESAMPLES;
  const seed = o.seed ?? DEFAULT_BOOTSTRAP_SEED;
  if (!(Number.isInteger(resamples) && resamples >= 1)) throw new RangeError(`resamples must be a whole number >= 1, got ${resamples}`);
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= Number.MAX_SAFE_INTEGER)) throw new RangeError(`seed must be a whole number >= 0, got ${seed}`);
  const modelAuc = rocAuc(y, scores.model);
  const referenceAuc = scores.reference === undefined ? null : rocAuc(y, scores.reference);
  if (modelAuc === null) return null;
  const plan = resamplePlan(y, o.clusters);
  const m = rank(y, scores.model, plan.unitOfRow);
  const r = scores.reference === undefined ? null : rank(y, scores.reference, plan.unitOfRow);
  const modelValues = new Float64Array(resamples);
  const referenceValues = new Float64Array(r === null ? 0 : resamples);
  const counts = new Uint32Array(plan.units);
  let used = 0;
  for (let b = 0; b < resamples; b++) {
    resampleCounts(plan, seed, b, counts);
    // Both predictors see the same classes: a resample lacks one for both or for neither.
    const a = weightedAuc(m, counts);
    modelValues[b] = a ?? Number.NaN;
    if (r !== null) referenceValues[b] = weightedAuc(r, counts) ?? Number.NaN;
    if (a !== null) used++;
  }
  const base = { by: plan.by, units: plan.units, strata: [plan.strata[0].length, plan.strata[1].length] as const, seed, resamples, used, level: INTERVAL_LEVEL };
  const model = interval(modelAuc, modelValues);
  if (r === null || referenceAuc === null) return { ...base, model, ...(o.replicates && { replicates: { model: modelValues } }) };
  // A reference AUC of 0 (every negative ranked above every positive) has no ratio.
  const ratios = modelValues.map((v, b) => (referenceValues[b] > 0 ? v / referenceValues[b] : Number.NaN));
  return {
    ...base,
    model,
    reference: interval(referenceAuc, referenceValues),
    ratio: interval(referenceAuc > 0 ? modelAuc / referenceAuc : Number.NaN, ratios),
    ...(o.replicates && { replicates: { model: modelValues, reference: referenceValues } }),
  };
}

/**
 * The model card's metrics (models/MODEL_CARD.md), as models/training/saferoads_risk/metrics.py
 * computes them: ROC AUC, sensitivity at fixed false-alarm rates on the interpolated ROC curve,
 * calibration in groups of equal size, Brier score, log loss, base rate. Pure functions of labels
 * (0 or 1) and scores; no I/O.
 */

export const FALSE_ALARM_RATES = [0.1, 0.2] as const;
/** Probabilities are clipped to [EPS, 1 − EPS] for the Brier score and log loss, as train.py does. */
const EPS = 1e-7;

export type Labels = ArrayLike<number>;
export type Scores = ArrayLike<number>;

function check(y: Labels, s: Scores): void {
  if (y.length !== s.length) throw new RangeError(`labels and scores differ in length: ${y.length} and ${s.length}`);
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new RangeError(`label ${i} is ${y[i]}: labels are 0 or 1`);
    if (!Number.isFinite(s[i])) throw new RangeError(`score ${i} is ${s[i]}: scores must be finite numbers`);
  }
}

/** Row indices by ascending score; ties keep their order (a stable sort, as numpy's). */
function ascending(s: Scores): Uint32Array {
  const order = new Uint32Array(s.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => s[a] - s[b] || a - b);
}

/**
 * ROC AUC: the probability that a random positive scores above a random negative, ties counting
 * half (Mann–Whitney U from mid-ranks). null when either class is absent.
 */
export function rocAuc(y: Labels, s: Scores): number | null {
  check(y, s);
  const order = ascending(s);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && s[order[j + 1]] === s[order[i]]) j++;
    // Ranks i+1 .. j+1 share their mean.
    const mid = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) {
      if (y[order[k]] === 1) {
        positives++;
        rankSum += mid;
      }
    }
    i = j + 1;
  }
  const negatives = y.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface RocPoint {
  readonly falseAlarmRate: number;
  readonly sensitivity: number;
}

/**
 * The ROC curve: from (0, 0), one point per distinct score from the highest down (all rows at or
 * above it flagged), to (1, 1). A tie is one step, a diagonal when it holds both classes. null
 * when either class is absent.
 */
export function rocCurve(y: Labels, s: Scores): RocPoint[] | null {
  check(y, s);
  const order = ascending(s);
  let P = 0;
  for (let i = 0; i < y.length; i++) P += y[i];
  const N = y.length - P;
  if (P === 0 || N === 0) return null;
  const points: RocPoint[] = [{ falseAlarmRate: 0, sensitivity: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = order.length - 1; i >= 0; ) {
    let j = i;
    while (j - 1 >= 0 && s[order[j - 1]] === s[order[i]]) j--;
    for (let k = j; k <= i; k++) {
      if (y[order[k]] === 1) tp++;
      else fp++;
    }
    points.push({ falseAlarmRate: fp / N, sensitivity: tp / P });
    i = j - 1;
  }
  return points;
}

/**
 * Sensitivity (true-positive rate) where the ROC curve reaches the false-alarm rate `target`,
 * interpolated along the curve: what a threshold randomised on the tie at that point gives. Where
 * the curve is vertical at `target`, its top counts. null when either class is absent.
 */
export function sensitivityAtFalseAlarmRate(y: Labels, s: Scores, target: number): number | null {
  if (!(target >= 0 && target <= 1)) throw new RangeError(`false-alarm rate must be in [0, 1], got ${target}`);
  const curve = rocCurve(y, s);
  if (curve === null) return null;
  return sensitivityOnCurve(curve, target);
}

/** The same on a curve already computed. */
export function sensitivityOnCurve(curve: readonly RocPoint[], target: number): number {
  const i = curve.findIndex((p) => p.falseAlarmRate > target);
  if (i === -1) return curve[curve.length - 1].sensitivity;
  const a = curve[i - 1];
  const b = curve[i];
  return a.sensitivity + ((target - a.falseAlarmRate) / (b.falseAlarmRate - a.falseAlarmRate)) * (b.sensitivity - a.sensitivity);
}

export interface CalibrationBin {
  readonly bin: number;
  readonly rows: number;
  readonly predictedMin: number;
  readonly predictedMax: number;
  readonly predictedMean: number;
  readonly observedRate: number;
  readonly positives: number;
}

/**
 * Rows sorted by predicted probability (stable), cut into `bins` groups of equal size, the first
 * `rows mod bins` one row larger (numpy's array_split): each group's mean prediction beside its
 * observed rate of positives. Empty groups are left out.
 */
export function calibrationTable(y: Labels, p: Scores, bins = 10): CalibrationBin[] {
  check(y, p);
  if (!(Number.isInteger(bins) && bins >= 1)) throw new RangeError(`bins must be a whole number >= 1, got ${bins}`);
  const order = ascending(p);
  const n = order.length;
  const small = Math.floor(n / bins);
  const extra = n % bins;
  const out: CalibrationBin[] = [];
  let at = 0;
  for (let k = 0; k < bins; k++) {
    const size = small + (k < extra ? 1 : 0);
    if (size === 0) continue;
    let sum = 0;
    let positives = 0;
    for (let i = at; i < at + size; i++) {
      sum += p[order[i]];
      positives += y[order[i]];
    }
    out.push({
      bin: k + 1,
      rows: size,
      predictedMin: p[order[at]],
      predictedMax: p[order[at + size - 1]],
      predictedMean: sum / size,
      observedRate: positives / size,
      positives,
    });
    at += size;
  }
  return out;
}

const clip = (v: number) => Math.min(Math.max(v, EPS), 1 - EPS);

/** Mean squared difference of the (clipped) probability and the label. */
export function brierScore(y: Labels, p: Scores): number {
  check(y, p);
  if (y.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += (clip(p[i]) - y[i]) ** 2;
  return sum / y.length;
}

/** Mean negative log-likelihood of the labels under the (clipped) probabilities. */
export function logLoss(y: Labels, p: Scores): number {
  check(y, p);
  if (y.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum -= y[i] === 1 ? Math.log(clip(p[i])) : Math.log1p(-clip(p[i]));
  return sum / y.length;
}

export interface ScoreMetrics {
  readonly rows: number;
  readonly positives: number;
  /** Share of rows labelled 1. */
  readonly observedRate: number;
  readonly rocAuc: number | null;
  readonly sensitivityAt10PctFalseAlarms: number | null;
  readonly sensitivityAt20PctFalseAlarms: number | null;
  readonly brier: number;
  readonly logLoss: number;
  readonly meanPredicted: number;
  readonly calibration: CalibrationBin[];
}

/** Every figure of the model card for one predictor: the same keys as train.py's score_metrics. */
export function scoreMetrics(y: Labels, p: Scores, bins = 10): ScoreMetrics {
  check(y, p);
  let positives = 0;
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    positives += y[i];
    sum += p[i];
  }
  const curve = rocCurve(y, p);
  return {
    rows: y.length,
    positives,
    observedRate: y.length === 0 ? Number.NaN : positives / y.length,
    rocAuc: rocAuc(y, p),
    sensitivityAt10PctFalseAlarms: curve === null ? null : sensitivityOnCurve(curve, FALSE_ALARM_RATES[0]),
    sensitivityAt20PctFalseAlarms: curve === null ? null : sensitivityOnCurve(curve, FALSE_ALARM_RATES[1]),
    brier: brierScore(y, p),
    logLoss: logLoss(y, p),
    meanPredicted: y.length === 0 ? Number.NaN : sum / y.length,
    calibration: calibrationTable(y, p, bins),
  };
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brierScore, calibrationTable, logLoss, rocAuc, rocCurve, scoreMetrics, sensitivityAtFalseAlarmRate } from './metrics.js';
import { pairwiseAuc } from '../testing/pairwise-auc.js';

// Scores from a small set of values, so that ties are common.
const labelled = fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 12 }).map((k) => k / 16)), { minLength: 0, maxLength: 60 });
const split = (rows: [number, number][]) => ({ y: rows.map((r) => r[0]), s: rows.map((r) => r[1]) });

describe('rocAuc', () => {
  it.each<[string, number[], number[], number | null]>([
    ['a perfect ranking', [0, 0, 0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4, 0.8, 0.9], 1],
    ['a reversed ranking', [1, 1, 0, 0], [0.1, 0.2, 0.3, 0.4], 0],
    ['one score for all', [0, 0, 0, 0, 1, 1], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5], 0.5],
    // Pairs (positive above negative): 0.35 beats 0.1 and 0.3; 0.8 beats all four: 6 of 8.
    ['a hand-counted ranking', [0, 0, 0, 0, 1, 1], [0.1, 0.3, 0.4, 0.7, 0.35, 0.8], 6 / 8],
    // 0.5 ties one negative (half) and beats 0.2: 1.5 of 2.
    ['a tie across the classes', [0, 1, 0], [0.5, 0.5, 0.2], 0.75],
    ['no positives', [0, 0], [0.1, 0.2], null],
    ['no rows', [], [], null],
  ])('%s', (_name, y, s, auc) => {
    expect(rocAuc(y, s)).toBe(auc);
  });

  it('equals the pairwise proportion with ties counted half (fast-check)', () => {
    fc.assert(
      fc.property(labelled, (rows) => {
        const { y, s } = split(rows);
        const want = pairwiseAuc(y, s);
        const got = rocAuc(y, s);
        if (want === null) return got === null;
        return got !== null && Math.abs(got - want) < 1e-12;
      }),
    );
  });

  it('is 1 − AUC for the negated scores, and unchanged by a monotone transform (fast-check)', () => {
    fc.assert(
      fc.property(labelled, (rows) => {
        const { y, s } = split(rows);
        const auc = rocAuc(y, s);
        if (auc === null) return true;
        return Math.abs(rocAuc(y, s.map((v) => -v))! - (1 - auc)) < 1e-12 && rocAuc(y, s.map((v) => Math.exp(3 * v) - 7)) === auc;
      }),
    );
  });

  it('refuses labels that are not 0 or 1, scores that are not numbers, and lengths that differ', () => {
    expect(() => rocAuc([0, 2], [0.1, 0.2])).toThrow('label 1 is 2: labels are 0 or 1');
    expect(() => rocAuc([0, 1], [0.1, Number.NaN])).toThrow('score 1 is NaN');
    expect(() => rocAuc([0, 1], [0.1])).toThrow('labels and scores differ in length: 2 and 1');
  });
});

describe('sensitivityAtFalseAlarmRate', () => {
  // 10 negatives 0.00..0.09, positives at 0.085 (above 9 negatives, below 1) and 0.5: the curve
  // goes (0, 0.5) above 0.09, flat to (0.1, 0.5), up to (0.1, 1) at 0.085, then flat to (1, 1).
  const y = [...new Array<number>(10).fill(0), 1, 1];
  const s = [...Array.from({ length: 10 }, (_, i) => i / 100), 0.085, 0.5];
  it.each<[number, number]>([
    [0, 0.5],
    [0.05, 0.5],
    [0.1, 1],
    [0.5, 1],
    [1, 1],
  ])('at %f false alarms on the hand-drawn curve: %f', (fa, sens) => {
    expect(sensitivityAtFalseAlarmRate(y, s, fa)).toBeCloseTo(sens, 12);
  });

  it('interpolates along the diagonal of a tie across the classes', () => {
    // A positive tied with a negative at 0.06 steps diagonally from (0.3, 0.5) to (0.4, 1).
    const s2 = [...Array.from({ length: 10 }, (_, i) => i / 100), 0.06, 0.5];
    expect(sensitivityAtFalseAlarmRate(y, s2, 0.35)).toBeCloseTo(0.75, 12);
    expect(rocCurve(y, s2)?.slice(0, 6)).toEqual([
      { falseAlarmRate: 0, sensitivity: 0 },
      { falseAlarmRate: 0, sensitivity: 0.5 },
      { falseAlarmRate: 0.1, sensitivity: 0.5 },
      { falseAlarmRate: 0.2, sensitivity: 0.5 },
      { falseAlarmRate: 0.3, sensitivity: 0.5 },
      { falseAlarmRate: 0.4, sensitivity: 1 },
    ]);
  });

  it('never falls as the false-alarm rate grows, stays in [0, 1], and its curve has the AUC as its area (fast-check)', () => {
    fc.assert(
      fc.property(labelled, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (rows, a, b) => {
        const { y, s } = split(rows);
        const curve = rocCurve(y, s);
        if (curve === null) return sensitivityAtFalseAlarmRate(y, s, a) === null;
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const sLo = sensitivityAtFalseAlarmRate(y, s, lo)!;
        const sHi = sensitivityAtFalseAlarmRate(y, s, hi)!;
        let area = 0;
        for (let i = 1; i < curve.length; i++) area += ((curve[i].falseAlarmRate - curve[i - 1].falseAlarmRate) * (curve[i].sensitivity + curve[i - 1].sensitivity)) / 2;
        return sLo >= 0 && sHi <= 1 + 1e-12 && sLo <= sHi + 1e-12 && Math.abs(area - rocAuc(y, s)!) < 1e-12;
      }),
    );
  });
});

describe('calibrationTable', () => {
  it('cuts 100 rows into ten deciles of 10, one positive each', () => {
    const p = Array.from({ length: 100 }, (_, i) => 0.01 + (i * 0.99) / 99);
    const y = p.map((_, i) => (i % 10 === 0 ? 1 : 0));
    const t = calibrationTable(y, p);
    expect(t.map((r) => r.rows)).toEqual(new Array(10).fill(10));
    expect(t.map((r) => r.positives)).toEqual(new Array(10).fill(1));
    expect(t[0].predictedMean).toBeCloseTo(0.055, 12);
    expect(t[0].observedRate).toBe(0.1);
    expect(t[9].predictedMax).toBeCloseTo(1, 12);
  });

  it('makes the first rows-mod-bins groups one row larger, as numpy.array_split does', () => {
    const t = calibrationTable([1, 0, 0, 1, 0, 0, 0], [0.7, 0.1, 0.2, 0.6, 0.3, 0.5, 0.4], 3);
    expect(t).toEqual([
      { bin: 1, rows: 3, predictedMin: 0.1, predictedMax: 0.3, predictedMean: (0.1 + 0.2 + 0.3) / 3, observedRate: 0, positives: 0 },
      { bin: 2, rows: 2, predictedMin: 0.4, predictedMax: 0.5, predictedMean: (0.4 + 0.5) / 2, observedRate: 0, positives: 0 },
      { bin: 3, rows: 2, predictedMin: 0.6, predictedMax: 0.7, predictedMean: (0.6 + 0.7) / 2, observedRate: 1, positives: 2 },
    ]);
  });

  it('leaves out empty groups when there are fewer rows than bins', () => {
    expect(calibrationTable([1, 0], [0.9, 0.2], 10).map((b) => [b.bin, b.rows])).toEqual([
      [1, 1],
      [2, 1],
    ]);
  });

  it('keeps every row and positive exactly once, groups in order of prediction (fast-check)', () => {
    fc.assert(
      fc.property(labelled, fc.integer({ min: 1, max: 12 }), (rows, bins) => {
        const { y, s } = split(rows);
        const t = calibrationTable(y, s, bins);
        const sum = (f: (b: (typeof t)[number]) => number) => t.reduce((n, b) => n + f(b), 0);
        const ordered = t.every((b, i) => b.predictedMin <= b.predictedMax && (i === 0 || t[i - 1].predictedMax <= b.predictedMin));
        return sum((b) => b.rows) === y.length && sum((b) => b.positives) === y.reduce((a, v) => a + v, 0) && ordered;
      }),
    );
  });
});

describe('Brier score, log loss and the whole set', () => {
  it('computes two rows by hand', () => {
    expect(brierScore([0, 1], [0.2, 0.6])).toBeCloseTo((0.04 + 0.16) / 2, 15);
    expect(logLoss([0, 1], [0.2, 0.6])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 15);
  });

  it('clips probabilities to [1e-7, 1 − 1e-7]: a certain wrong answer costs -ln(1e-7), not infinity', () => {
    expect(logLoss([1], [0])).toBeCloseTo(-Math.log(1e-7), 12);
    expect(brierScore([1], [0])).toBeCloseTo((1 - 1e-7) ** 2, 15);
  });

  it('gives the model card\'s keys', () => {
    const m = scoreMetrics([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 2);
    expect(m).toEqual({
      rows: 4,
      positives: 2,
      observedRate: 0.5,
      rocAuc: 0.75,
      sensitivityAt10PctFalseAlarms: 0.5,
      sensitivityAt20PctFalseAlarms: 0.5,
      brier: (0.1 ** 2 + 0.4 ** 2 + (0.35 - 1) ** 2 + (0.8 - 1) ** 2) / 4,
      logLoss: -(Math.log1p(-0.1) + Math.log1p(-0.4) + Math.log(0.35) + Math.log(0.8)) / 4,
      meanPredicted: (0.1 + 0.4 + 0.35 + 0.8) / 4,
      calibration: [
        { bin: 1, rows: 2, predictedMin: 0.1, predictedMax: 0.35, predictedMean: (0.1 + 0.35) / 2, observedRate: 0.5, positives: 1 },
        { bin: 2, rows: 2, predictedMin: 0.4, predictedMax: 0.8, predictedMean: (0.4 + 0.8) / 2, observedRate: 0.5, positives: 1 },
      ],
    });
  });

  it('Brier score lies in [0, 1] and is 0 only for certain right answers (fast-check)', () => {
    fc.assert(
      fc.property(labelled.filter((r) => r.length > 0), (rows) => {
        const { y, s } = split(rows);
        const b = brierScore(y, s);
        return b >= 0 && b <= 1 && (b < 1e-12) === y.every((v, i) => Math.abs(v - s[i]) < 1e-7 + 1e-12);
      }),
    );
  });
});

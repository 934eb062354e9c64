import { AUC_RATIO_TARGET, type AucBootstrap, type Interval, type ScoreMetrics } from '@saferoads/risk-scorer/offline';
import type { BacktestResult } from './run.js';

const pct = (v: number | null) => (v === null ? 'n/a' : `${(100 * v).toFixed(1)} %`);
const fix = (v: number | null, d: number) => (v === null || Number.isNaN(v) ? 'n/a' : v.toFixed(d));
const count = (v: number) => v.toLocaleString('en-GB');
const range = (i: Interval | undefined, d = 4) => (i === undefined || Number.isNaN(i.low) ? 'n/a' : `${i.low.toFixed(d)}-${i.high.toFixed(d)}`);

/** How the intervals were drawn, in the model card's words. */
function method(b: AucBootstrap): string {
  const unit = b.by === 'cluster' ? 'whole segment-days' : 'rows';
  return `${count(b.used)} of ${count(b.resamples)} ${b.reference ? 'paired ' : ''}resamples of the ${count(b.units)} ${unit}, those holding a crash and those without (${count(b.strata[0])} and ${count(b.strata[1])}) drawn apart, seed ${b.seed}`;
}

/** The model card's verdict: the ratio's interval, not its estimate alone, has to reach the target. */
function verdict(r: BacktestResult): string {
  const t = r.aucRatioTarget;
  if (t === undefined) return `the model card's target: at least ${AUC_RATIO_TARGET}`;
  if (t.lowerBoundClears) return `the interval's lower bound clears the target of at least ${t.target}: met`;
  if (t.estimateClears) return `the estimate reaches the target of at least ${t.target} but the interval's lower bound does not: not shown`;
  return `the target of at least ${t.target} is not met`;
}

/** The model card's metrics table (models/MODEL_CARD.md), the predictors side by side, then the calibration tables. */
export function backtestTable(r: BacktestResult): string {
  // The bootstrap covers the model and the oracle (the ratio's two terms), not the scored minute's hazard.
  const cols: [string, ScoreMetrics, Interval | undefined][] = [[`the model (${r.modelVersion})`, r.model, r.aucBootstrap?.model]];
  if (r.oracle) cols.push(['true hazard, next 15 min (oracle)', r.oracle, r.aucBootstrap?.reference]);
  if (r.stateNow) cols.push(['true hazard of the scored minute', r.stateNow, undefined]);
  type Row = [string, (m: ScoreMetrics, i: Interval | undefined) => string];
  const intervalRow: Row[] = r.aucBootstrap ? [['ROC AUC, 95 % interval', (_m, i) => (i === undefined ? '-' : range(i))]] : [];
  const rows: Row[] = [
    ['ROC AUC', (m) => fix(m.rocAuc, 4)],
    ...intervalRow,
    ['sensitivity at 10 % false alarms', (m) => pct(m.sensitivityAt10PctFalseAlarms)],
    ['sensitivity at 20 % false alarms', (m) => pct(m.sensitivityAt20PctFalseAlarms)],
    ['Brier score', (m) => fix(m.brier, 5)],
    ['log loss', (m) => fix(m.logLoss, 5)],
    ['mean predicted probability', (m) => fix(m.meanPredicted, 4)],
    ['observed rate of positives (base rate)', (m) => fix(m.observedRate, 4)],
  ];
  const first = Math.max(6, ...rows.map(([n]) => n.length));
  const widths = cols.map(([n]) => Math.max(n.length, 10));
  const line = (cells: string[]) => cells.map((c, k) => (k === 0 ? c.padEnd(first) : c.padStart(widths[k - 1]))).join('  ');
  const out = [
    `${count(r.rows)} rows, ${count(r.model.positives)} positive${r.droppedAtEnd > 0 ? `; ${count(r.droppedAtEnd)} rows within 15 minutes of the end left out (their future is not in the data)` : ''}`,
    '',
    line(['metric', ...cols.map(([n]) => n)]),
    ...rows.map(([name, f]) => line([name, ...cols.map(([, m, i]) => f(m, i))])),
  ];
  const b = r.aucBootstrap;
  if (r.aucRatio !== undefined) {
    const ci = b?.ratio ? `, 95 % interval ${range(b.ratio)}` : '';
    out.push('', `model AUC / oracle AUC = ${fix(r.aucRatio, 4)}${ci}: ${verdict(r)}`);
  }
  if (b) out.push(`intervals: 95 %, percentiles of ${method(b)}`);
  for (const [name, m] of cols) {
    out.push('', `calibration of ${name}: rows in ${m.calibration.length} equal groups by prediction`);
    out.push(`  ${'group'.padStart(5)} ${'rows'.padStart(10)} ${'predicted (range)'.padStart(17)} ${'mean pred.'.padStart(10)} ${'observed'.padStart(9)} ${'positives'.padStart(10)}`);
    for (const b of m.calibration) {
      out.push(
        `  ${String(b.bin).padStart(5)} ${count(b.rows).padStart(10)} ${`${b.predictedMin.toFixed(4)}-${b.predictedMax.toFixed(4)}`.padStart(17)} ` +
          `${b.predictedMean.toFixed(4).padStart(10)} ${b.observedRate.toFixed(4).padStart(9)} ${count(b.positives).padStart(10)}`,
      );
    }
  }
  return out.join('\n') + '\n';
}

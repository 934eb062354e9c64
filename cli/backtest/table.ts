import type { ScoreMetrics } from '@saferoads/risk-scorer/offline';
import type { BacktestResult } from './run.js';

const pct = (v: number | null) => (v === null ? 'n/a' : `${(100 * v).toFixed(1)} %`);
const fix = (v: number | null, d: number) => (v === null || Number.isNaN(v) ? 'n/a' : v.toFixed(d));
const count = (v: number) => v.toLocaleString('en-GB');

/** The model card's metrics table (models/MODEL_CARD.md), the predictors side by side, then the calibration tables. */
export function backtestTable(r: BacktestResult): string {
  const cols: [string, ScoreMetrics][] = [[`the model (${r.modelVersion})`, r.model]];
  if (r.oracle) cols.push(['true hazard, next 15 min (oracle)', r.oracle]);
  if (r.stateNow) cols.push(['true hazard of the scored minute', r.stateNow]);
  const rows: [string, (m: ScoreMetrics) => string][] = [
    ['ROC AUC', (m) => fix(m.rocAuc, 4)],
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
    ...rows.map(([name, f]) => line([name, ...cols.map(([, m]) => f(m))])),
  ];
  if (r.aucRatio !== undefined) out.push('', `model AUC / oracle AUC = ${fix(r.aucRatio, 4)} (the model card's target: at least 0.95)`);
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

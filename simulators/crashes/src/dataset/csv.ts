import type { DatasetRow } from './run.js';

/** Columns before the features: which segment-minute a row is. */
export const KEY_COLUMNS = ['run', 'segmentId', 'windowEndMs'] as const;
/**
 * Columns after the features, from the simulator only (a road authority's history has none of
 * them but the label): the true hazard of the row's minute, the oracle's probability of a crash in
 * the horizon (1 − e^(−expected crashes)), the crashes that happened in it, and the label.
 */
export const TRUTH_COLUMNS = ['hazardNow', 'oracleRisk', 'crashesAhead', 'label'] as const;

export function csvHeader(featureNames: readonly string[]): string {
  return [...KEY_COLUMNS, ...featureNames, ...TRUTH_COLUMNS].join(',') + '\n';
}

/**
 * A feature value as text: whole numbers as they are, others to 5 decimals (the stats stage
 * rounds speeds to 0.001 and shares to 1e-5 already), which keeps a day of rows near 40 MB.
 */
export function formatFeature(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const r = Math.round(v * 1e5) / 1e5;
  return String(r === 0 ? 0 : r);
}

/** Probabilities and hazards are tiny: 6 significant digits. */
export function formatSmall(v: number): string {
  return v === 0 ? '0' : String(Number(v.toPrecision(6)));
}

/** A text field, quoted (RFC 4180) only when it has to be. */
export function csvText(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One row as a CSV line. */
export function csvRow(r: DatasetRow): string {
  let line = `${csvText(r.run)},${csvText(r.segmentId)},${r.windowEndMs}`;
  const f = r.features;
  for (let k = 0; k < f.length; k++) line += ',' + formatFeature(f[k]);
  line += `,${formatSmall(r.hazardNow)},${formatSmall(-Math.expm1(-r.hazardAhead))},${r.crashesAhead},${r.crashesAhead > 0 ? 1 : 0}\n`;
  return line;
}

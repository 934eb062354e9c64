import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { FeatureSpec } from '@saferoads/model-spec';
import { splitCsvLine } from '@saferoads/crashes/dataset';

/** Rows of a dataset CSV, a chunk at a time: features in the spec's order and what is known about each row. */
export interface RowChunk {
  readonly rows: number;
  /** rows × features, spec order. */
  readonly features: Float32Array;
  readonly segmentIds: string[];
  /** The `run` column ("history" for --from-stats rows), '' when the file has none. */
  readonly runs: string[];
  readonly windowEndMs: Float64Array;
  /** 0/1, or -1 when the file has no label column (rows labelled later from a crash list). */
  readonly labels: Int8Array;
  /** The simulator's oracle probability (1 − e^(−Λ)), NaN when the file has none. */
  readonly oracleRisk: Float64Array;
  /** The simulator's true hazard of the row's own minute, NaN when the file has none. */
  readonly hazardNow: Float64Array;
}

export interface RowsReport {
  lines: number;
  rows: number;
  /** Lines refused (not CSV, a key or label that is not one, a feature cell that is not a number). */
  refused: number;
  /** The spec's features the file has no column for: they take their default. */
  missingColumns: string[];
  problems: string[];
}

/**
 * Reads `saferoads dataset`'s CSV (simulated, or --from-stats rows): features by column name in
 * any order, a missing column or an empty cell taking the spec's default, as train.py reads them;
 * `run`, `label`, `oracleRisk` and `hazardNow` when the file has them. Bad lines are counted and the
 * first few reported; they never stop the run.
 */
export async function* readLabelledRows(input: Readable, spec: FeatureSpec, report: RowsReport, chunkRows = 8192): AsyncGenerator<RowChunk> {
  const W = spec.features.length;
  const defaults = spec.features.map((f) => f.default);
  let columns: { feature: number[]; segmentId: number; run: number; windowEndMs: number; label: number; oracle: number; hazard: number } | null = null;
  let chunk = newChunk(chunkRows, W);
  let n = 0;
  const refuse = (line: number, reason: string) => {
    report.refused++;
    if (report.problems.length < 10) report.problems.push(`line ${line}: ${reason}`);
  };
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    report.lines++;
    const line = report.lines;
    if (text.trim() === '') continue;
    let cells: string[];
    try {
      cells = splitCsvLine(text);
    } catch (err) {
      refuse(line, `not CSV: ${(err as Error).message}`);
      continue;
    }
    if (columns === null) {
      const at = new Map(cells.map((c, k) => [c.trim(), k]));
      const need = ['segmentId', 'windowEndMs'].filter((c) => !at.has(c));
      if (need.length > 0) throw new Error(`the header has no column ${need.join(', ')} (saferoads dataset's CSV: run,segmentId,windowEndMs,<features>,...)`);
      columns = {
        feature: spec.features.map((f) => at.get(f.name) ?? -1),
        segmentId: at.get('segmentId')!,
        run: at.get('run') ?? -1,
        windowEndMs: at.get('windowEndMs')!,
        label: at.get('label') ?? -1,
        oracle: at.get('oracleRisk') ?? -1,
        hazard: at.get('hazardNow') ?? -1,
      };
      report.missingColumns = spec.features.filter((_, k) => columns!.feature[k] === -1).map((f) => f.name);
      continue;
    }
    const c = columns;
    const end = Number(cells[c.windowEndMs]);
    if (!Number.isInteger(end)) {
      refuse(line, `windowEndMs: ${JSON.stringify(cells[c.windowEndMs] ?? '')} is not epoch milliseconds`);
      continue;
    }
    let label = -1;
    if (c.label !== -1) {
      label = cells[c.label] === '1' ? 1 : cells[c.label] === '0' ? 0 : -2;
      if (label === -2) {
        refuse(line, `label: ${JSON.stringify(cells[c.label] ?? '')} is not 0 or 1`);
        continue;
      }
    }
    let bad = -1;
    const off = n * W;
    for (let k = 0; k < W; k++) {
      const j = c.feature[k];
      const cell = j === -1 ? '' : (cells[j] ?? '');
      const v = cell === '' ? defaults[k] : Number(cell);
      if (!Number.isFinite(v)) {
        bad = k;
        break;
      }
      chunk.features[off + k] = v;
    }
    if (bad !== -1) {
      refuse(line, `${spec.features[bad].name}: ${JSON.stringify(cells[c.feature[bad]])} is not a number`);
      continue;
    }
    const num = (j: number) => (j === -1 || cells[j] === undefined || cells[j] === '' ? Number.NaN : Number(cells[j]));
    chunk.segmentIds.push(cells[c.segmentId]);
    chunk.runs.push(c.run === -1 ? '' : (cells[c.run] ?? ''));
    chunk.windowEndMs[n] = end;
    chunk.labels[n] = label;
    chunk.oracleRisk[n] = num(c.oracle);
    chunk.hazardNow[n] = num(c.hazard);
    n++;
    report.rows++;
    if (n === chunkRows) {
      yield { ...chunk, rows: n };
      chunk = newChunk(chunkRows, W);
      n = 0;
    }
  }
  if (columns === null) throw new Error('the file is empty: no header');
  if (n > 0) yield { ...chunk, rows: n, features: chunk.features.subarray(0, n * W) };
}

function newChunk(rows: number, width: number): RowChunk {
  return {
    rows: 0,
    features: new Float32Array(rows * width),
    segmentIds: [],
    runs: [],
    windowEndMs: new Float64Array(rows),
    labels: new Int8Array(rows),
    oracleRisk: new Float64Array(rows),
    hazardNow: new Float64Array(rows),
  };
}

import { PassThrough, type Readable } from 'node:stream';
import type { FeatureSpec } from '@saferoads/model-spec';
import { historyFeatures, type HistoryReport, type RecordFormat } from '@saferoads/crashes/dataset';
import type { ScoringModel } from '@saferoads/risk-scorer';
import { AUC_RATIO_TARGET, aucBootstrap, scoreMetrics, type AucBootstrap, type ScoreMetrics } from '@saferoads/risk-scorer/offline';
import type { Network } from '@saferoads/shared/network';
import { crashesAhead, readCrashList, type CrashesReport } from './crashes.js';
import { readLabelledRows, type RowChunk, type RowsReport } from './labelled-rows.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * The bootstrap's cluster of a row: a segment on one simulated day (its run and segment), or on
 * one UTC date for a road authority's history (run "history", or no run column), as train.py's
 * bootstrap.segment_days keys the held-out rows.
 */
export function segmentDay(run: string, segmentId: string, windowEndMs: number): string {
  return run === '' || run === 'history' ? `${segmentId}\u0000${Math.floor(windowEndMs / DAY_MS)}` : `${run}\u0000${segmentId}`;
}

/** Labelled data: dataset CSVs (`saferoads dataset`'s), or a road authority's stats and crash list. */
export type BacktestSource =
  | { readonly kind: 'dataset'; readonly inputs: readonly { readonly name: string; readonly stream: Readable }[] }
  | {
      readonly kind: 'history';
      readonly network: Network;
      readonly stats: Readable;
      readonly statsFormat: RecordFormat;
      readonly weather?: Readable;
      readonly weatherFormat?: RecordFormat;
      readonly crashes: Readable;
    };

export interface BacktestOptions {
  readonly spec: FeatureSpec;
  readonly model: ScoringModel;
  readonly source: BacktestSource;
  /** Calibration groups (default 10). */
  readonly bins?: number;
  /** Bootstrap resamples for the AUC intervals (default 1,000; 0: none). */
  readonly resamples?: number;
  /** Seed of the bootstrap (default 1, as train.py's --seed 1). */
  readonly seed?: number;
  /** What a resample draws: whole segment-days (default, as the model card) or single rows. */
  readonly resampleBy?: 'segment-day' | 'row';
}

export interface BacktestResult {
  readonly modelVersion: string;
  readonly rows: number;
  /** History: rows whose 15 minutes run past the end of the records (their label is unknown), dropped. */
  readonly droppedAtEnd: number;
  readonly files: { readonly name: string; readonly report: RowsReport }[];
  readonly history?: { readonly stats: HistoryReport; readonly crashes: CrashesReport };
  readonly model: ScoreMetrics;
  /** The simulator's true hazard over the label's 15 minutes, 1 − e^(−Λ): the best any model can do on the data. */
  readonly oracle?: ScoreMetrics;
  /** The true hazard of the scored minute carried over the horizon, 1 − e^(−15 h). */
  readonly stateNow?: ScoreMetrics;
  /** Model ROC AUC / oracle ROC AUC. */
  readonly aucRatio?: number | null;
  /** 95 % intervals of the model's AUC and, on simulated data, the oracle's and the ratio's; absent with 0 resamples or a class missing. */
  readonly aucBootstrap?: AucBootstrap;
  /** Whether the ratio and its interval's lower bound reach the model card's target. */
  readonly aucRatioTarget?: { readonly target: number; readonly estimateClears: boolean; readonly lowerBoundClears: boolean };
}

/** What is kept per row: the model's answer and what is known. */
class Collected {
  readonly p: number[] = [];
  readonly y: number[] = [];
  readonly oracle: number[] = [];
  readonly hazard: number[] = [];
  readonly end: number[] = [];
  readonly segmentIds: string[] = [];
  readonly runs: string[] = [];
}

async function scoreChunks(chunks: AsyncIterable<RowChunk>, model: ScoringModel, into: Collected): Promise<void> {
  for await (const c of chunks) {
    const p = await model.score(c.features, c.rows);
    for (let i = 0; i < c.rows; i++) {
      if (!(p[i] >= 0 && p[i] <= 1)) throw new Error(`model ${model.version} returned ${p[i]} for a row of ${c.segmentIds[i]} at ${c.windowEndMs[i]}: not a probability`);
      into.p.push(p[i]);
      into.y.push(c.labels[i]);
      into.oracle.push(c.oracleRisk[i]);
      into.hazard.push(c.hazardNow[i]);
      into.end.push(c.windowEndMs[i]);
      into.segmentIds.push(c.segmentIds[i]);
      into.runs.push(c.runs[i]);
    }
  }
}

const emptyRowsReport = (): RowsReport => ({ lines: 0, rows: 0, refused: 0, missingColumns: [], problems: [] });

/**
 * `saferoads backtest`: scores labelled rows with a model and gives the model card's metrics
 * (models/MODEL_CARD.md) for it, and, when the data comes from the simulator, for the oracle and
 * the true hazard of the scored minute beside it. A road authority's stats are made into rows by
 * the same code as `saferoads dataset --from-stats` and labelled from its crash list as train.py
 * labels them.
 */
export async function backtest(o: BacktestOptions): Promise<BacktestResult> {
  const horizonMs = o.spec.output.horizonMinutes * MINUTE_MS;
  const got = new Collected();
  const files: { name: string; report: RowsReport }[] = [];
  let history: BacktestResult['history'];
  let droppedAtEnd = 0;
  let y: number[];
  let keep: number[] | null = null;

  if (o.source.kind === 'dataset') {
    for (const f of o.source.inputs) {
      const report = emptyRowsReport();
      files.push({ name: f.name, report });
      try {
        await scoreChunks(readLabelledRows(f.stream, o.spec, report), o.model, got);
      } catch (err) {
        throw new Error(`${f.name}: ${(err as Error).message}`, { cause: err });
      }
      if (report.rows > 0 && got.y.some((v) => v === -1)) throw new Error(`${f.name}: no label column (use --stats with --crashes for rows without labels)`);
    }
    y = got.y;
  } else {
    const s = o.source;
    const crashReport: CrashesReport = { lines: 0, crashes: 0, refused: 0, problems: [] };
    const crashes = await readCrashList(s.crashes, crashReport);
    const rowsCsv = new PassThrough();
    const report = emptyRowsReport();
    files.push({ name: 'rows from the stats', report });
    const [stats] = await Promise.all([
      historyFeatures({
        network: s.network,
        spec: o.spec,
        stats: s.stats,
        statsFormat: s.statsFormat,
        ...(s.weather && { weather: s.weather, weatherFormat: s.weatherFormat ?? 'ndjson' }),
        out: rowsCsv,
      }).finally(() => rowsCsv.end()),
      scoreChunks(readLabelledRows(rowsCsv, o.spec, report), o.model, got),
    ]);
    history = { stats, crashes: crashReport };
    // The last rows' 15 minutes run past the records: whether a crash followed is unknown, not "no".
    const last = got.end.reduce((m, e) => Math.max(m, e), Number.NEGATIVE_INFINITY);
    keep = [];
    y = [];
    for (let i = 0; i < got.end.length; i++) {
      if (got.end[i] + horizonMs > last) continue;
      keep.push(i);
      y.push(crashesAhead(crashes, got.segmentIds[i], got.end[i], horizonMs) > 0 ? 1 : 0);
    }
    droppedAtEnd = got.end.length - keep.length;
  }

  const pick = <T>(xs: T[]) => (keep === null ? xs : keep.map((i) => xs[i]));
  const p = pick(got.p);
  const bins = o.bins ?? 10;
  const model = scoreMetrics(y, p, bins);
  const oracleValues = pick(got.oracle);
  const hazard = pick(got.hazard);
  const result: BacktestResult = { modelVersion: o.model.version, rows: y.length, droppedAtEnd, files, ...(history && { history }), model };
  const withOracle = y.length > 0 && oracleValues.every(Number.isFinite);
  let interval: AucBootstrap | null = null;
  if (o.resamples !== 0) {
    const segmentIds = pick(got.segmentIds);
    const runs = pick(got.runs);
    const ends = pick(got.end);
    const clusters = o.resampleBy === 'row' ? undefined : segmentIds.map((s, i) => segmentDay(runs[i], s, ends[i]));
    interval = aucBootstrap(y, { model: p, ...(withOracle && { reference: oracleValues }) }, { resamples: o.resamples, seed: o.seed, clusters });
  }
  const intervals = interval === null ? {} : { aucBootstrap: interval };
  if (!withOracle) return { ...result, ...intervals };
  const oracle = scoreMetrics(y, oracleValues, bins);
  const h = o.spec.output.horizonMinutes;
  const aucRatio = model.rocAuc === null || oracle.rocAuc === null ? null : model.rocAuc / oracle.rocAuc;
  const ratio = interval?.ratio;
  return {
    ...result,
    oracle,
    ...(hazard.every(Number.isFinite) && { stateNow: scoreMetrics(y, hazard.map((v) => -Math.expm1(-h * v)), bins) }),
    aucRatio,
    ...intervals,
    ...(ratio !== undefined && aucRatio !== null && { aucRatioTarget: { target: AUC_RATIO_TARGET, estimateClears: aucRatio >= AUC_RATIO_TARGET, lowerBoundClears: ratio.low >= AUC_RATIO_TARGET } }),
  };
}

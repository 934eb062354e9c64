import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { ContextFeatureAssembler } from '@saferoads/context';
import { FeatureRowBuilder, featureSpecFingerprint, type FeatureSpec } from '@saferoads/model-spec';
import type { Network } from '@saferoads/shared/network';
import { DATASET_RATE_SCALE, DEFAULT_HAZARD_PARAMETERS, type HazardParameters } from '../hazard.js';
import { csvHeader, csvRow } from './csv.js';
import { planRuns, type RunPlan } from './plan.js';
import { simulateRun, type DatasetContext, type RunCounters } from './run.js';

export { planRuns, type RunPlan, type PlanOptions } from './plan.js';
export { simulateRun, type DatasetRow, type DatasetContext, type RunCounters } from './run.js';
export { csvHeader, csvRow, csvText, formatFeature, formatSmall, KEY_COLUMNS, TRUTH_COLUMNS } from './csv.js';
export { formatOf, historyFeatures, splitCsvLine, type HistoryOptions, type HistoryReport, type RecordFormat } from './history.js';

export interface DatasetOptions {
  readonly network: Network;
  readonly spec: FeatureSpec;
  readonly seed: number;
  /** Runs in the plan (each its own day, weather, demand and incidents). */
  readonly runs: number;
  /** Minutes per run (default 1440). */
  readonly minutes?: number;
  /** Generate only part `index` of `count` (1-based): runs index-1, index-1+count, ...; for parallel processes. */
  readonly part?: { readonly index: number; readonly count: number };
  readonly out: Writable;
  /** Hazard parameters (default: DEFAULT_HAZARD_PARAMETERS with rateScale DATASET_RATE_SCALE). */
  readonly hazard?: HazardParameters;
  readonly horizonMinutes?: number;
  /** Told of every crash drawn: run, segment, the minute it happens in, the hazard of that minute. */
  readonly onCrash?: DatasetContext['onCrash'];
  /** Called after each run. */
  readonly onRun?: (plan: RunPlan, counters: RunCounters, elapsedMs: number) => void;
}

export interface DatasetSummary extends RunCounters {
  readonly runs: number;
  readonly specVersion: string;
  readonly specFingerprint: string;
  readonly rateScale: number;
  readonly horizonMinutes: number;
}

/**
 * Writes the labelled dataset as CSV: a header, then one row per segment-minute of every run of
 * the plan (or of this part of it), minute by minute. Waits for `out` to drain, so memory stays at
 * a minute's rows however large the output.
 */
export async function generateDataset(o: DatasetOptions): Promise<DatasetSummary> {
  const hazard = o.hazard ?? { ...DEFAULT_HAZARD_PARAMETERS, rateScale: DATASET_RATE_SCALE };
  const horizonMinutes = o.horizonMinutes ?? o.spec.output.horizonMinutes;
  const ctx: DatasetContext = {
    network: o.network,
    rows: new FeatureRowBuilder(o.spec),
    context: new ContextFeatureAssembler(o.network),
    hazard,
    horizonMinutes,
    ...(o.onCrash && { onCrash: o.onCrash }),
  };
  const part = o.part ?? { index: 1, count: 1 };
  if (!(Number.isInteger(part.count) && part.count >= 1 && Number.isInteger(part.index) && part.index >= 1 && part.index <= part.count)) {
    throw new RangeError(`part must be i/n with 1 <= i <= n, got ${part.index}/${part.count}`);
  }
  const plans = planRuns({ network: o.network, seed: o.seed, runs: o.runs, minutes: o.minutes }).filter((p) => p.index % part.count === part.index - 1);
  const total: RunCounters = { minutes: 0, rows: 0, crashes: 0, positives: 0, detections: 0 };
  const write = async (text: string) => {
    if (!o.out.write(text)) await once(o.out, 'drain');
  };
  await write(csvHeader(ctx.rows.names));
  for (const plan of plans) {
    const t0 = performance.now();
    const run = simulateRun(ctx, plan);
    let step = run.next();
    while (!step.done) {
      if (step.value.length > 0) await write(step.value.map(csvRow).join(''));
      step = run.next();
    }
    const c = step.value;
    for (const k of Object.keys(total) as (keyof RunCounters)[]) total[k] += c[k];
    o.onRun?.(plan, c, performance.now() - t0);
  }
  return { ...total, runs: plans.length, specVersion: o.spec.specVersion, specFingerprint: featureSpecFingerprint(o.spec), rateScale: hazard.rateScale, horizonMinutes };
}

import { accessSync, constants, createReadStream, writeFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Command, Option } from 'commander';
import { formatOf } from '@saferoads/crashes/dataset';
import { DEFAULT_BOOTSTRAP_SEED, DEFAULT_RESAMPLES } from '@saferoads/risk-scorer/offline';
import { loadNetwork } from '@saferoads/shared/network';
import { backtest, type BacktestSource } from '../backtest/run.js';
import { backtestTable } from '../backtest/table.js';
import { DEFAULT_FEATURE_SPEC_PATH, DEFAULT_MODEL_PATH, loadRiskModel } from '../risk-model.js';
import { intOption } from '../options.js';

const USAGE_EXIT = 2;

interface BacktestOpts {
  data?: string[];
  stats?: string;
  weather?: string;
  crashes?: string;
  network?: string;
  model?: string;
  spec?: string;
  bins: number;
  resamples: number;
  seed: number;
  resampleBy: 'segment-day' | 'row';
  json?: boolean;
  out?: string;
  quiet?: boolean;
}

/** A file to read, decompressed when it ends in .gz. */
function openIn(path: string): Readable {
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  return path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
}

export function backtestCommand(stdout: (text: string) => void = (t) => void process.stdout.write(t), stderr: (text: string) => void = (t) => void process.stderr.write(t)): Command {
  return new Command('backtest')
    .description(
      'Score labelled data with a model and print the model card\'s metrics: ROC AUC with its bootstrap interval, sensitivity at 10 % and 20 % false alarms, ' +
        'Brier score, log loss, base rate and the calibration by groups; on simulated data also for the true hazard (the oracle), and the ratio with its interval.',
    )
    .option('--data <files...>', 'labelled rows: saferoads dataset\'s CSV (.gz is read too)')
    .option('--stats <file>', 'instead: a road authority\'s traffic-stats records (NDJSON, or CSV when the name ends in .csv), made into rows as saferoads dataset --from-stats does')
    .option('--crashes <file>', 'with --stats: the crash list, CSV with segmentId,time (epoch ms or ISO 8601 with an offset)')
    .option('--weather <file>', 'with --stats: the weather observations of the same period, in time order (NDJSON or CSV)')
    .option('--network <file>', 'with --stats: road network GeoJSON (default: the bundled A13 demo network)')
    .option('--model <file>', `ONNX model, its metadata beside it as .json (default: ${DEFAULT_MODEL_PATH.replace(/.*\/models\//, 'models/')})`)
    .option('--spec <file>', `feature specification (default: ${DEFAULT_FEATURE_SPEC_PATH.replace(/.*\/models\//, 'models/')})`)
    .addOption(new Option('--bins <n>', 'calibration groups').argParser(intOption('--bins', 1, 1000)).default(10))
    .addOption(new Option('--resamples <n>', 'bootstrap resamples for the 95 % intervals of the AUCs and their ratio (0: none)').argParser(intOption('--resamples', 0, 100_000)).default(DEFAULT_RESAMPLES))
    .addOption(new Option('--seed <n>', 'seed of the bootstrap (train.py uses its --seed: 1 for risk-v1)').argParser(intOption('--seed', 0)).default(DEFAULT_BOOTSTRAP_SEED))
    .addOption(new Option('--resample-by <unit>', 'what a resample draws: whole segment-days (the rows of one segment and run, or UTC date, share crashes), as the model card, or single rows').choices(['segment-day', 'row']).default('segment-day'))
    .option('--json', 'print the metrics as JSON (the keys of train.py\'s metrics) instead of tables')
    .option('--out <file>', 'also write the metrics as JSON to this file')
    .option('--quiet', 'no reading report on stderr')
    .addHelpText(
      'after',
      `
Examples:
  saferoads dataset --seed 9 --runs 2 --out held-out.csv.gz && saferoads backtest --data held-out.csv.gz
  saferoads backtest --stats stats.csv --weather weather.ndjson --crashes crashes.csv --network my-roads.geojson --json`,
    )
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : USAGE_EXIT))
    .action(async (o: BacktestOpts, command: Command) => {
      const usage = (msg: string): never => command.error(`error: ${msg}`, { exitCode: USAGE_EXIT });
      if ((o.data === undefined) === (o.stats === undefined)) usage('give either --data or --stats (with --crashes)');
      if (o.stats !== undefined && o.crashes === undefined) usage("option '--stats' needs --crashes: the labels come from the crash list");
      if (o.stats === undefined) {
        for (const [flag, v] of [['--crashes', o.crashes], ['--weather', o.weather], ['--network', o.network]] as const) if (v !== undefined) usage(`option '${flag}' goes with --stats`);
      }
      for (const f of [...(o.data ?? []), o.stats, o.crashes, o.weather]) {
        if (f === undefined) continue;
        try {
          accessSync(f, constants.R_OK);
        } catch (err) {
          usage((err as Error).message);
        }
      }
      let source: BacktestSource;
      if (o.data !== undefined) source = { kind: 'dataset', inputs: o.data.map((name) => ({ name, stream: openIn(name) })) };
      else {
        let network;
        try {
          network = loadNetwork(o.network);
        } catch (err) {
          usage(`option '--network': ${(err as Error).message}`);
        }
        source = {
          kind: 'history',
          network: network!,
          stats: openIn(o.stats!),
          statsFormat: formatOf(o.stats!.replace(/\.gz$/, '')),
          crashes: openIn(o.crashes!),
          ...(o.weather !== undefined && { weather: openIn(o.weather), weatherFormat: formatOf(o.weather.replace(/\.gz$/, '')) }),
        };
      }
      const { spec, model } = await loadRiskModel(o).catch((err: unknown) => command.error(`error: ${(err as Error).message}`, { exitCode: 1 }));
      const t0 = performance.now();
      const r = await backtest({ spec, model, source, bins: o.bins, resamples: o.resamples, seed: o.seed, resampleBy: o.resampleBy }).catch((err: unknown) => command.error(`error: ${(err as Error).message}`, { exitCode: 1 }));
      await model.release();
      if (!o.quiet) {
        for (const f of r.files) {
          for (const p of f.report.problems) stderr(`backtest: ${f.name} ${p}\n`);
          const missing = f.report.missingColumns.length > 0 ? `; no column for ${f.report.missingColumns.join(', ')} (their default)` : '';
          stderr(`backtest: ${f.name}: ${f.report.rows} rows, ${f.report.refused} lines refused${missing}\n`);
        }
        if (r.history) {
          for (const p of [...r.history.stats.problems, ...r.history.crashes.problems]) stderr(`backtest: ${p}\n`);
          const h = r.history;
          stderr(`backtest: ${h.stats.statsRecords} stats records (${h.stats.invalid} refused, ${h.stats.outOfOrder} too far out of order), ${h.stats.weatherRecords} weather records; ${h.crashes.crashes} crashes (${h.crashes.refused} lines refused)\n`);
        }
        stderr(`backtest: ${r.rows} rows scored with ${r.modelVersion} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      }
      const { modelVersion, rows, droppedAtEnd, oracle, stateNow, aucRatio, aucBootstrap, aucRatioTarget } = r;
      const json = JSON.stringify({ modelVersion, rows, droppedAtEnd, model: r.model, oracle, stateNow, aucRatio, aucBootstrap, aucRatioTarget }, null, 1);
      if (o.out !== undefined) writeFileSync(o.out, json + '\n');
      stdout(o.json ? json + '\n' : backtestTable(r));
    });
}

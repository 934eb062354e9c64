import { createReadStream, createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadNetwork } from '@saferoads/shared/network';
import { loadFeatureSpec } from '@saferoads/model-spec';
import { csvText, formatOf, formatSmall, generateDataset, historyFeatures } from '@saferoads/crashes/dataset';
import { intOption } from '../options.js';

/** Bad options exit 2, as `saferoads simulate`'s do. */
const USAGE_EXIT = 2;

function partOption(raw: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(index >= 1 && count >= 1 && index <= count)) throw new InvalidArgumentError(`--part must be i/n with 1 <= i <= n, e.g. 1/2, got "${raw}"`);
  return { index, count };
}

interface DatasetOpts {
  seed: number;
  runs: number;
  minutes: number;
  part?: { index: number; count: number };
  out?: string;
  network?: string;
  spec?: string;
  quiet?: boolean;
  fromStats?: string;
  weather?: string;
  crashesOut?: string;
}

/** A file to read, decompressed when it ends in .gz. */
function openIn(path: string): Readable {
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  return path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
}

/** The output: a file (gzip-compressed when it ends in .gz) or stdout. */
function openOut(path: string | undefined): { stream: Writable; done: () => Promise<void> } {
  if (path === undefined) return { stream: process.stdout, done: async () => {} };
  const file = createWriteStream(path);
  if (!path.endsWith('.gz')) return { stream: file, done: async () => void (await finished(file.end())) };
  // Level 1: the compressor runs on libuv's threads beside the simulation and keeps up with it.
  const gz = createGzip({ level: 1 });
  gz.pipe(file);
  return { stream: gz, done: async () => void (gz.end(), await finished(file)) };
}

export function datasetCommand(): Command {
  return new Command('dataset')
    .description(
      'Generate the risk model\'s labelled training data: simulated days of traffic and weather, the traffic-stats stage, ' +
        'the context features and the crash process, written as CSV with one row per segment-minute: the feature-spec ' +
        'columns, the true hazard, the oracle\'s 15-minute crash probability and the label (docs/model.md).',
    )
    .addOption(new Option('--seed <n>', 'seed of the run plan: the same seed and options give the same file').argParser(intOption('--seed', 0)).default(1))
    .addOption(new Option('--runs <n>', 'simulated runs, each its own date, weather, demand and incidents').argParser(intOption('--runs', 1, 10_000)).default(24))
    .addOption(new Option('--minutes <n>', 'length of each run').argParser(intOption('--minutes', 30, 7 * 1440)).default(1440))
    .addOption(new Option('--part <i/n>', 'only every n-th run starting with the i-th (split a plan over processes)').argParser(partOption))
    .option('--out <file>', 'write to a file (gzip-compressed when it ends in .gz) instead of stdout')
    .option('--network <file>', 'road network GeoJSON (default: the bundled A13 Brenner model)')
    .option('--spec <file>', 'feature specification (default: models/feature-spec.json)')
    .option('--quiet', 'no progress lines on stderr')
    .option('--crashes-out <file>', 'also write every simulated crash as CSV (run,segmentId,time,timeMs,hazard): a crash list in the form train.py --crashes reads')
    .option('--from-stats <file>', 'instead of simulating: model rows from recorded traffic-stats records (NDJSON, or CSV when the name ends in .csv; .gz is read too)')
    .option('--weather <file>', 'with --from-stats: the weather observations of the same period, ordered by time (NDJSON or CSV)')
    .addHelpText(
      'after',
      `
Examples:
  saferoads dataset --seed 1 --runs 24 --out models/data/sim-1.csv.gz
  saferoads dataset --seed 1 --runs 24 --part 2/2 --out part-2.csv.gz   # the other half of the same plan
  saferoads dataset --from-stats stats.csv --weather weather.ndjson --network my-roads.geojson --out features.csv.gz`,
    )
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : USAGE_EXIT))
    .action(async (o: DatasetOpts, command: Command) => {
      if (o.weather !== undefined && o.fromStats === undefined) command.error("error: option '--weather' goes with --from-stats", { exitCode: USAGE_EXIT });
      if (o.fromStats !== undefined) {
        const flags: Record<string, string> = { seed: '--seed', runs: '--runs', minutes: '--minutes', part: '--part', crashesOut: '--crashes-out' };
        const simulated = Object.keys(flags).filter((k) => command.getOptionValueSource(k) === 'cli').map((k) => flags[k]);
        if (simulated.length > 0) command.error(`error: option '--from-stats' reads recorded data: ${simulated.join(', ')} only apply to simulated data`, { exitCode: USAGE_EXIT });
      }
      const network = loadNetwork(o.network);
      const spec = loadFeatureSpec(o.spec);
      const out = openOut(o.out);
      const log = (line: string) => {
        if (!o.quiet) process.stderr.write(`dataset: ${line}\n`);
      };
      const t0 = performance.now();
      if (o.fromStats !== undefined) {
        const r = await historyFeatures({
          network,
          spec,
          stats: openIn(o.fromStats),
          statsFormat: formatOf(o.fromStats.replace(/\.gz$/, '')),
          ...(o.weather !== undefined && { weather: openIn(o.weather), weatherFormat: formatOf(o.weather.replace(/\.gz$/, '')) }),
          out: out.stream,
        });
        await out.done();
        for (const p of r.problems) log(p);
        log(
          `${r.statsRecords} stats records, ${r.weatherRecords} weather records, ${r.invalid} refused, ${r.outOfOrder} too far out of order; ` +
            `${r.rows} rows over ${r.minutes} minutes in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
        return;
      }
      const crashes = o.crashesOut === undefined ? undefined : createWriteStream(o.crashesOut);
      crashes?.write('run,segmentId,time,timeMs,hazard\n');
      const summary = await generateDataset({
        network,
        spec,
        seed: o.seed,
        runs: o.runs,
        minutes: o.minutes,
        part: o.part,
        out: out.stream,
        ...(crashes && {
          onCrash: (c: { run: string; segmentId: string; minuteMs: number; hazard: number }) =>
            crashes.write(`${c.run},${csvText(c.segmentId)},${new Date(c.minuteMs).toISOString()},${c.minuteMs},${formatSmall(c.hazard)}\n`),
        }),
        onRun: (plan, c, ms) =>
          log(
            `run ${plan.id} from ${new Date(plan.startMs).toISOString()} (demand x${plan.demandFactor}, ${plan.temperatureOffsetC >= 0 ? '+' : ''}${plan.temperatureOffsetC} degC, ` +
              `${plan.incidents.length} incidents): ${c.rows} rows, ${c.crashes} crashes, ${c.positives} positive rows in ${(ms / 1000).toFixed(1)} s`,
          ),
      });
      await out.done();
      if (crashes) await finished(crashes.end());
      const s = (performance.now() - t0) / 1000;
      log(
        `${summary.runs} runs, ${summary.rows} rows (${Math.round(summary.rows / s)}/s, ${Math.round(summary.detections / s)} detections/s), ` +
          `${summary.crashes} crashes, ${summary.positives} positive rows (${((100 * summary.positives) / Math.max(1, summary.rows)).toFixed(2)} %), ` +
          `spec ${summary.specVersion}, rate scale ${summary.rateScale}, in ${s.toFixed(1)} s`,
      );
    });
}

import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadNetwork } from '@saferoads/shared/network';
import { loadFeatureSpec } from '@saferoads/model-spec';
import { generateDataset } from '@saferoads/crashes/dataset';
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
    .addHelpText(
      'after',
      `
Examples:
  saferoads dataset --seed 1 --runs 24 --out models/data/sim-1.csv.gz
  saferoads dataset --seed 1 --runs 24 --part 2/2 --out part-2.csv.gz   # the other half of the same plan`,
    )
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : USAGE_EXIT))
    .action(async (o: DatasetOpts) => {
      const network = loadNetwork(o.network);
      const spec = loadFeatureSpec(o.spec);
      const out = openOut(o.out);
      const log = (line: string) => {
        if (!o.quiet) process.stderr.write(`dataset: ${line}\n`);
      };
      const t0 = performance.now();
      const summary = await generateDataset({
        network,
        spec,
        seed: o.seed,
        runs: o.runs,
        minutes: o.minutes,
        part: o.part,
        out: out.stream,
        onRun: (plan, c, ms) =>
          log(
            `run ${plan.id} from ${new Date(plan.startMs).toISOString()} (demand x${plan.demandFactor}, ${plan.temperatureOffsetC >= 0 ? '+' : ''}${plan.temperatureOffsetC} degC, ` +
              `${plan.incidents.length} incidents): ${c.rows} rows, ${c.crashes} crashes, ${c.positives} positive rows in ${(ms / 1000).toFixed(1)} s`,
          ),
      });
      await out.done();
      const s = (performance.now() - t0) / 1000;
      log(
        `${summary.runs} runs, ${summary.rows} rows (${Math.round(summary.rows / s)}/s, ${Math.round(summary.detections / s)} detections/s), ` +
          `${summary.crashes} crashes, ${summary.positives} positive rows (${((100 * summary.positives) / Math.max(1, summary.rows)).toFixed(2)} %), ` +
          `spec ${summary.specVersion}, rate scale ${summary.rateScale}, in ${s.toFixed(1)} s`,
      );
    });
}

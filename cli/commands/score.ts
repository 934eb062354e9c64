import { accessSync, constants, createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import { Command, Option } from 'commander';
import { loadNetwork } from '@saferoads/shared/network';
import { scoreStatsStream, type OfflineProblem } from '@saferoads/risk-scorer/offline';
import { DEFAULT_FEATURE_SPEC_PATH, DEFAULT_MODEL_PATH, loadRiskModel } from '../risk-model.js';
import { intOption } from '../options.js';

/** Bad options exit 2, as `saferoads simulate`'s do; a refused model or unreadable file exits 1. */
const USAGE_EXIT = 2;
/** Refused lines shown one by one on stderr; the rest are counted in the summary. */
const SHOWN_PROBLEMS = 20;

export interface ScoreIo {
  readonly stdin: () => Readable;
  readonly stdout: Writable;
  readonly stderr: (text: string) => void;
}

const processIo: ScoreIo = {
  // 1 MiB reads: stdin's default 64 KiB chunks cost a round trip each on a large backfill.
  stdin: () => createReadStream('', { fd: 0, highWaterMark: 1 << 20 }),
  stdout: process.stdout,
  stderr: (t) => void process.stderr.write(t),
};

interface ScoreOpts {
  network?: string;
  model?: string;
  spec?: string;
  weather?: string;
  alerts?: string;
  features?: boolean;
  factorsMinLevel: 'low' | 'elevated' | 'high' | 'severe';
  topFactors: number;
  quiet?: boolean;
}

const closeFile = async (s: WriteStream | undefined) => {
  if (s) await finished(s.end());
};

export function scoreCommand(io: ScoreIo = processIo): Command {
  return new Command('score')
    .description(
      'Read traffic-stats records NDJSON on stdin, write risk scores (risk.scores records) NDJSON on stdout: the risk scorer\'s ' +
        'own code (join with neighbours, feature rows, one inference per minute with factors, levels, alerts), without a bus.',
    )
    .option('--network <file>', 'road network GeoJSON (default: the bundled A13 demo network)')
    .option('--model <file>', `ONNX model, its metadata beside it as .json (default: ${DEFAULT_MODEL_PATH.replace(/.*\/models\//, 'models/')})`)
    .option('--spec <file>', `feature specification (default: ${DEFAULT_FEATURE_SPEC_PATH.replace(/.*\/models\//, 'models/')})`)
    .option('--weather <file>', 'weather observations NDJSON in time order: each minute is scored with the readings taken before it ends')
    .option('--alerts <file>', 'write the alert events (risk.alerts records) there as NDJSON')
    .option('--features', 'include each score\'s model inputs by name (long lines)')
    .addOption(new Option('--factors-min-level <level>', 'explain only scores at or above this level').choices(['low', 'elevated', 'high', 'severe']).default('low'))
    .addOption(new Option('--top-factors <n>', 'factors per score').argParser(intOption('--top-factors', 0, 20)).default(3))
    .option('--quiet', 'no summary on stderr (refused lines are still reported)')
    .addHelpText(
      'after',
      `
Minutes are scored when every record they need is in, when every segment has moved on to a later
minute, or at the end of input; nothing waits on the clock, so the same input gives the same output.
Lines that are not stats records (or name an unknown segment) are reported on stderr with their line
number, field and reason, and skipped; the records beside them are scored.

Examples:
  saferoads simulate --seed 7 --minutes 60 --weather --weather-out weather.ndjson | saferoads stats > stats.ndjson
  saferoads score --weather weather.ndjson --alerts alerts.ndjson < stats.ndjson > scores.ndjson`,
    )
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : USAGE_EXIT))
    .action(async (o: ScoreOpts, command: Command) => {
      let network;
      try {
        network = loadNetwork(o.network);
      } catch (err) {
        command.error(`error: option '--network': ${(err as Error).message}`, { exitCode: USAGE_EXIT });
      }
      if (o.weather !== undefined) {
        try {
          accessSync(o.weather, constants.R_OK);
        } catch (err) {
          command.error(`error: option '--weather': ${(err as Error).message}`, { exitCode: USAGE_EXIT });
        }
      }
      const { spec, slot } = await loadRiskModel(o).catch((err: unknown) => command.error(`error: ${(err as Error).message}`, { exitCode: 1 }));
      const alertsOut = o.alerts === undefined ? undefined : createWriteStream(o.alerts);
      let shown = 0;
      const onProblem = (p: OfflineProblem) => {
        if (shown++ < SHOWN_PROBLEMS) io.stderr(`score: ${p.input} line ${p.line}: ${p.field}: ${p.reason}\n`);
      };
      const t0 = performance.now();
      const r = await scoreStatsStream({
        network,
        spec,
        model: slot,
        input: io.stdin(),
        ...(o.weather !== undefined && { weather: createReadStream(o.weather) }),
        out: io.stdout,
        ...(alertsOut && { alertsOut }),
        includeFeatures: o.features === true,
        scores: { factorsMinLevel: o.factorsMinLevel, topFactors: o.topFactors },
        onProblem,
      });
      await closeFile(alertsOut);
      if (shown > SHOWN_PROBLEMS) io.stderr(`score: ${shown - SHOWN_PROBLEMS} more refused lines not shown\n`);
      if (!o.quiet) {
        io.stderr(
          `score: ${r.lines} lines, ${r.invalid} refused, ${r.late} too late, ${r.duplicates} duplicates; ` +
            (o.weather !== undefined ? `${r.weatherLines} weather lines, ${r.weatherInvalid} refused; ` : '') +
            `${r.minutes} minutes (${r.incompleteMinutes} with something missing), ${r.scores} scores, ${r.alerts} alert events, ` +
            `model ${slot.current.version}, in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
        );
      }
    });
}

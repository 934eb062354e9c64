import { createWriteStream, openSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { Command } from 'commander';
import { loadNetwork, type Network } from '@saferoads/shared/network';
import { LoopSimulator, pace } from '@saferoads/loop-sensor';
import {
  OptionError,
  checkIncidents,
  parseSimulateOptions,
  stderrProgress,
  writeBatches,
  type RawSimulateOptions,
  type SimulateConfig,
} from '@saferoads/loop-sensor/cli';

/** Exit code for bad usage, as in most Unix tools. */
const USAGE_EXIT = 2;

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** Opens the destination up front, so an unwritable --out is a usage error, not a crash mid-run. */
function openOutput(path: string | undefined): Writable {
  if (path === undefined) {
    // `saferoads simulate | head` closes the pipe early: that is a normal end, not a crash.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
    return process.stdout;
  }
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (err) {
    throw new OptionError('--out', `cannot write ${path}: ${(err as Error).message}`);
  }
  return createWriteStream(path, { fd });
}

async function run(cfg: SimulateConfig, network: Network, out: Writable): Promise<void> {
  const sim = new LoopSimulator({
    network,
    seed: cfg.seed,
    startMs: cfg.startMs,
    minutes: cfg.minutes,
    incidents: cfg.incidents,
    faults: cfg.faults,
    withGaps: cfg.withGaps,
    demandFactor: cfg.demandFactor,
  });
  const progress = stderrProgress(sim.stepCount, cfg.progress);
  let detections = 0;
  let steps = 0;
  await writeBatches(pace(sim.batches(), cfg.speed), out, {
    flushEachBatch: cfg.speed > 0,
    onBatch: (b) => {
      detections += b.detections.length;
      steps = Math.min(sim.stepCount, steps + 1);
      progress.update(steps, detections);
    },
  });
  progress.stop();
  if (out !== process.stdout) {
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(resolve);
    });
  }
}

export function simulateCommand(): Command {
  const cmd = new Command('simulate')
    .description(
      'Simulate induction-loop detections on a road network (cell-transmission traffic model, ' +
        'individual vehicles, optional detector faults) and write them as NDJSON',
    )
    .option('--seed <n>', 'random seed: the same seed and options give byte-identical output', '1')
    .option('--minutes <n>', 'simulated minutes', '60')
    .option('--start <iso>', 'simulated start, ISO time with offset (default: now, floored to the minute)')
    .option('--network <file>', 'road network GeoJSON (default: the bundled A13 Brenner model)')
    .option('--speed <x>', 'pace: 0 = as fast as possible, 1 = real time, 10 = ten times real time', '0')
    .option('--out <file>', 'write to a file instead of stdout')
    .option(
      '--incident <spec>',
      'segmentId@ISO-time/minutes[/lanes]: lanes blocked from the right (default 1, 0 = shoulder); repeatable',
      collect,
    )
    .option('--demand-factor <x>', 'multiply all traffic demand (e.g. 1.5 for a holiday peak)')
    .option('--dropouts <rate>', 'fault: share of detectors that drop out for a few minutes at a time')
    .option('--stuck <n>', 'fault: number of detectors that freeze, repeating one speed and length')
    .option('--duplicates <rate>', 'fault: share of records sent twice (same seq)')
    .option('--reorder <seconds>', 'fault: shuffle delivery order by up to this many seconds')
    .option('--late <rate>', 'fault: share of records delivered late')
    .option('--late-delay <seconds>', 'how late --late records arrive (default 120)')
    .option('--clock-skew <seconds>', 'fault: each controller clock off by a fixed amount up to this')
    .option('--with-gaps', 'include each vehicle\'s true gap to the one ahead (gapS)')
    .option('--no-progress', 'no progress bar (it only shows when stderr is a terminal)')
    .addHelpText(
      'after',
      `
Examples:
  saferoads simulate --start 2026-03-10T06:50:00Z --minutes 40 > detections.ndjson
  saferoads simulate --speed 1 --incident A13-N-020@2026-03-10T07:05:00Z/30/1
  saferoads simulate --minutes 10 --duplicates 0.01 --reorder 5 --late 0.02 --late-delay 180 --out faulty.ndjson`,
    )
    .exitOverride((err) => {
      // commander's own usage errors exit 1; make every bad invocation exit 2 like ours.
      process.exit(err.exitCode === 0 ? 0 : USAGE_EXIT);
    })
    .action(async (raw: RawSimulateOptions, command: Command) => {
      let cfg: SimulateConfig;
      let network: Network;
      let out: Writable;
      try {
        cfg = parseSimulateOptions(raw, Date.now());
        try {
          network = loadNetwork(cfg.networkPath);
        } catch (err) {
          throw new OptionError('--network', (err as Error).message);
        }
        checkIncidents(cfg.incidents, network);
        out = openOutput(cfg.out);
      } catch (err) {
        if (err instanceof OptionError) {
          command.error(`error: option '${err.option}' ${err.message}`, {
            exitCode: USAGE_EXIT,
            code: 'saferoads.invalidOption',
          });
        }
        throw err;
      }
      await run(cfg, network, out);
    });
  return cmd;
}

import { createWriteStream, openSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { Command } from 'commander';
import type { KafkaBusConfig } from '@saferoads/shared/bus';
import { ConfigError } from '@saferoads/shared/errors';
import { createLogger } from '@saferoads/shared/logger';
import { loadNetwork, type Network } from '@saferoads/shared/network';
import { TOPICS } from '@saferoads/shared/topics';
import { LoopSimulator, pace } from '@saferoads/loop-sensor';
import {
  OptionError,
  checkIncidents,
  parseSimulateOptions,
  stderrProgress,
  type RawSimulateOptions,
  type SimulateConfig,
} from '@saferoads/loop-sensor/cli';
import {
  DeliveryError,
  HttpSink,
  NdjsonSink,
  TARGET_DEFAULTS,
  feed,
  kafkaTargetConfig,
  openKafkaSink,
  summaryLine,
  type DetectionSink,
} from '@saferoads/loop-sensor/targets';

/** Exit code for bad usage, as in most Unix tools. */
const USAGE_EXIT = 2;
/** Exit code when detections could not be delivered to --target. */
const DELIVERY_EXIT = 1;
const DELIVERY_FAILED = 'saferoads.deliveryFailed';
/** Exit code after Ctrl-C, as shells report it (128 + SIGINT). */
const INTERRUPTED_EXIT = 130;

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

/** Where the detections go, checked before the run: a bad option never gets as far as a connection. */
type Destination =
  | { readonly kind: 'ndjson'; readonly out: Writable }
  | { readonly kind: 'http'; readonly endpoint: string }
  /** Brokers from the URL, the rest from KAFKA_* variables. */
  | { readonly kind: 'kafka'; readonly config: KafkaBusConfig };

interface Prepared {
  readonly cfg: SimulateConfig;
  readonly network: Network;
  readonly dest: Destination;
}

function destination(cfg: SimulateConfig): Destination {
  const t = cfg.target;
  if (t === undefined) return { kind: 'ndjson', out: openOutput(cfg.out) };
  if (t.kind === 'http') return t;
  try {
    return { kind: 'kafka', config: kafkaTargetConfig(t.brokers, process.env) };
  } catch (err) {
    if (err instanceof ConfigError) throw new OptionError('--target', err.message);
    throw err;
  }
}

function prepare(raw: RawSimulateOptions): Prepared {
  const cfg = parseSimulateOptions(raw, Date.now());
  let network: Network;
  try {
    network = loadNetwork(cfg.networkPath);
  } catch (err) {
    throw new OptionError('--network', (err as Error).message);
  }
  checkIncidents(cfg.incidents, network);
  return { cfg, network, dest: destination(cfg) };
}

async function openSink({ cfg, network, dest }: Prepared, warn: (line: string) => void): Promise<DetectionSink> {
  switch (dest.kind) {
    case 'ndjson':
      return new NdjsonSink(dest.out, { name: cfg.out ?? 'stdout', flushEachBatch: cfg.speed > 0, end: dest.out !== process.stdout });
    case 'http':
      return new HttpSink({
        endpoint: dest.endpoint,
        network,
        batchSize: cfg.batchSize,
        concurrency: cfg.concurrency,
        attempts: cfg.attempts,
        onRetry: (m) => warn(`simulate: ${m}`),
      });
    case 'kafka': {
      // kafkajs logs every failed connection attempt as JSON; our error message carries the cause.
      // LOG_LEVEL=warn (or debug) shows those lines when a person wants them.
      const logger = createLogger('saferoads-simulate', { level: process.env.LOG_LEVEL ?? 'silent' });
      return openKafkaSink({ config: dest.config, topic: TOPICS.detections, network, batchSize: cfg.batchSize, logger });
    }
  }
}

/** Ctrl-C while feeding a target: finish the current step and deliver it; a second one quits at once. */
function interruptOnSigint(warn: (line: string) => void): { signal: AbortSignal; dispose: () => void } {
  const stop = new AbortController();
  const onSigint = () => {
    if (stop.signal.aborted) process.exit(INTERRUPTED_EXIT);
    warn('simulate: stopping after this step and delivering what is buffered (Ctrl-C again to quit at once)');
    stop.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: stop.signal, dispose: () => process.off('SIGINT', onSigint) };
}

async function run(p: Prepared, command: Command): Promise<void> {
  const { cfg } = p;
  const writeErr = command.configureOutput().writeErr ?? ((s: string) => process.stderr.write(s));
  const warn = (line: string) => writeErr(`${line}\n`);
  const fail = (err: unknown): never => {
    if (!(err instanceof DeliveryError)) throw err;
    return command.error(`error: ${err.message}`, { exitCode: DELIVERY_EXIT, code: DELIVERY_FAILED });
  };
  const sink = await openSink(p, warn).catch(fail);
  const sim = new LoopSimulator({
    network: p.network,
    seed: cfg.seed,
    startMs: cfg.startMs,
    minutes: cfg.minutes,
    incidents: cfg.incidents,
    faults: cfg.faults,
    withGaps: cfg.withGaps,
    demandFactor: cfg.demandFactor,
  });
  const progress = stderrProgress(sim.stepCount, cfg.progress);
  const interrupt = cfg.target ? interruptOnSigint(warn) : undefined;
  let detections = 0;
  let steps = 0;
  const result = await feed(pace(sim.batches(), cfg.speed), sink, {
    ...(interrupt && { signal: interrupt.signal }),
    onBatch: (b) => {
      detections += b.detections.length;
      steps = Math.min(sim.stepCount, steps + 1);
      progress.update(steps, detections);
    },
  });
  interrupt?.dispose();
  progress.stop();
  // Files and stdout stay as they were: the data is the output, nothing more on stderr.
  if (cfg.target) warn(summaryLine(sink.name, result));
  if (result.error) fail(result.error);
  if (result.interrupted) process.exitCode = INTERRUPTED_EXIT;
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
      '--target <url>',
      'feed a running deployment instead: http://host:port (the loop ingest gateway) or ' +
        'kafka://host:port[,host:port] (produce to loop.detections; TLS/SASL from KAFKA_* variables)',
    )
    .option('--batch-size <n>', `with --target: most records per request or producer send (default ${TARGET_DEFAULTS.batchSize})`)
    .option('--concurrency <n>', `with an http target: requests in flight, each segment on one (default ${TARGET_DEFAULTS.concurrency})`)
    .option('--attempts <n>', `with an http target: attempts per request before the run fails (default ${TARGET_DEFAULTS.attempts})`)
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
  saferoads simulate --minutes 10 --duplicates 0.01 --reorder 5 --late 0.02 --late-delay 180 --out faulty.ndjson
  saferoads simulate --speed 10 --target http://localhost:8081
  KAFKA_SSL=true saferoads simulate --minutes 240 --target kafka://kafka-1:9093,kafka-2:9093`,
    )
    .exitOverride((err) => {
      // commander's own usage errors exit 1; make every bad invocation exit 2 like ours.
      process.exit(err.exitCode === 0 ? 0 : err.code === DELIVERY_FAILED ? DELIVERY_EXIT : USAGE_EXIT);
    })
    .action(async (raw: RawSimulateOptions, command: Command) => {
      let prepared: Prepared;
      try {
        prepared = prepare(raw);
      } catch (err) {
        if (err instanceof OptionError) {
          command.error(`error: option '${err.option}' ${err.message}`, {
            exitCode: USAGE_EXIT,
            code: 'saferoads.invalidOption',
          });
        }
        throw err;
      }
      await run(prepared, command);
    });
  return cmd;
}

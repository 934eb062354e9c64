import { Command } from 'commander';
import { loadNetwork, type Network } from '@saferoads/shared/network';
import { TOPICS } from '@saferoads/shared/topics';
import { LoopSimulator, pace, type WeatherInput } from '@saferoads/loop-sensor';
import {
  OptionError,
  checkIncidents,
  deliveryError,
  destinationOf,
  exitCodeOf,
  interruptOnSigint,
  INTERRUPTED_EXIT,
  openSink,
  parseSimulateOptions,
  stderrProgress,
  usageError,
  warner,
  type Destination,
  type RawSimulateOptions,
  type SimulateConfig,
} from '@saferoads/loop-sensor/cli';
import { TARGET_DEFAULTS, detectionFormat, feed, summaryLine, type FeedResult, type RecordSink } from '@saferoads/loop-sensor/targets';
import { WEATHER_FORMAT, WeatherSimulator, type WeatherBatch } from '@saferoads/weather-sim';
import { parseWeatherCompanion, type CompanionConfig, type RawCompanionOptions } from '@saferoads/weather-sim/cli';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** The weather of --weather: the simulator whose effects the traffic feels, and where its readings go. */
interface Weather {
  readonly sim: WeatherSimulator;
  readonly dest: Destination | undefined;
}

interface Prepared {
  readonly cfg: SimulateConfig;
  readonly network: Network;
  readonly dest: Destination;
  readonly weather: Weather | undefined;
}

function weatherOf(c: CompanionConfig | undefined, cfg: SimulateConfig, network: Network): Weather | undefined {
  if (!c) return undefined;
  // The same seed, start and span as the traffic: `saferoads simulate-weather` with those gives the same readings.
  const sim = new WeatherSimulator({ network, seed: cfg.seed, startMs: cfg.startMs, minutes: cfg.minutes, temperatureOffsetC: c.temperatureOffsetC });
  const dest = c.out !== undefined || c.target !== undefined ? destinationOf(c.target, c.out, { out: '--weather-out', target: '--weather-target' }) : undefined;
  return { sim, dest };
}

function prepare(raw: RawSimulateOptions & RawCompanionOptions): Prepared {
  const cfg = parseSimulateOptions(raw, Date.now());
  const companion = parseWeatherCompanion(raw);
  let network: Network;
  try {
    network = loadNetwork(cfg.networkPath);
  } catch (err) {
    throw new OptionError('--network', (err as Error).message);
  }
  checkIncidents(cfg.incidents, network);
  return { cfg, network, dest: destinationOf(cfg.target, cfg.out), weather: weatherOf(companion, cfg, network) };
}

async function run(p: Prepared, command: Command): Promise<void> {
  const { cfg, network } = p;
  const warn = warner(command);
  const settings = { batchSize: cfg.batchSize, concurrency: cfg.concurrency, attempts: cfg.attempts, paced: cfg.speed > 0, onRetry: (m: string) => warn(`simulate: ${m}`) };
  const sink = await openSink(p.dest, detectionFormat(network, TOPICS.detections), TOPICS.detections, settings).catch((err: unknown) => deliveryError(command, err));
  const weatherSink: RecordSink<WeatherBatch> | undefined = p.weather?.dest
    ? await openSink(p.weather.dest, WEATHER_FORMAT, TOPICS.weather, { ...settings, onRetry: (m) => warn(`simulate (weather): ${m}`) }).catch((err: unknown) => deliveryError(command, err))
    : undefined;
  const effects: WeatherInput | undefined = p.weather?.sim.effects();
  const sim = new LoopSimulator({
    network,
    seed: cfg.seed,
    startMs: cfg.startMs,
    minutes: cfg.minutes,
    incidents: cfg.incidents,
    faults: cfg.faults,
    withGaps: cfg.withGaps,
    demandFactor: cfg.demandFactor,
    ...(effects && { weather: effects }),
  });
  const progress = stderrProgress(sim.stepCount, cfg.progress);
  // Ctrl-C during a run that feeds a deployment stops after the step and delivers what is buffered.
  const interrupt = cfg.target || (p.weather?.dest && p.weather.dest.kind !== 'ndjson') ? interruptOnSigint('simulate', warn) : undefined;
  let detections = 0;
  let steps = 0;
  const options = interrupt ? { signal: interrupt.signal } : {};
  const [result, weatherResult] = await Promise.all([
    feed(pace(sim.batches(), cfg.speed), sink, {
      ...options,
      onBatch: (b) => {
        detections += b.detections.length;
        steps = Math.min(sim.stepCount, steps + 1);
        progress.update(steps, detections);
      },
    }),
    weatherSink && p.weather ? feed(pace(p.weather.sim.batches(), cfg.speed), weatherSink, options) : Promise.resolve(undefined as FeedResult | undefined),
  ]);
  interrupt?.dispose();
  progress.stop();
  // Files and stdout stay as they were: the data is the output, nothing more on stderr.
  if (cfg.target) warn(summaryLine(sink.name, result));
  if (weatherSink && weatherResult && p.weather?.dest?.kind !== 'ndjson') warn(summaryLine(weatherSink.name, weatherResult, 'simulate (weather)'));
  if (result.error) deliveryError(command, result.error);
  if (weatherResult?.error) deliveryError(command, weatherResult.error);
  if (result.interrupted || weatherResult?.interrupted) process.exitCode = INTERRUPTED_EXIT;
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
    .option('--weather', 'simulate the weather alongside (same seed): rain, snow, fog and icy roads slow traffic and cut capacity (docs/weather.md)')
    .option('--weather-out <file>', 'with --weather: write the weather stations\' readings there as NDJSON')
    .option('--weather-target <url>', 'with --weather: post the readings to the weather gateway (http://host:port) or produce them to weather.observations (kafka://host:port)')
    .option('--temperature-offset <celsius>', 'with --weather: add this to every temperature (a cold spell brings snow and ice)')
    .option('--no-progress', 'no progress bar (it only shows when stderr is a terminal)')
    .addHelpText(
      'after',
      `
Examples:
  saferoads simulate --start 2026-03-10T06:50:00Z --minutes 40 > detections.ndjson
  saferoads simulate --speed 1 --incident A13-N-020@2026-03-10T07:05:00Z/30/1
  saferoads simulate --minutes 10 --duplicates 0.01 --reorder 5 --late 0.02 --late-delay 180 --out faulty.ndjson
  saferoads simulate --speed 10 --target http://localhost:8081
  KAFKA_SSL=true saferoads simulate --minutes 240 --target kafka://kafka-1:9093,kafka-2:9093
  saferoads simulate --weather --weather-out weather.ndjson --start 2026-01-20T06:00:00Z > detections.ndjson`,
    )
    .exitOverride(exitCodeOf)
    .action(async (raw: RawSimulateOptions & RawCompanionOptions, command: Command) => {
      let prepared: Prepared;
      try {
        prepared = prepare(raw);
      } catch (err) {
        usageError(command, err);
      }
      await run(prepared, command);
    });
  return cmd;
}

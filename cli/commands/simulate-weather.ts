import { Command, Option } from 'commander';
import { loadNetwork, type Network } from '@saferoads/shared/network';
import { TOPICS } from '@saferoads/shared/topics';
import { pace } from '@saferoads/loop-sensor';
import { OptionError, deliveryError, destinationOf, exitCodeOf, interruptOnSigint, INTERRUPTED_EXIT, openSink, usageError, warner, type Destination } from '@saferoads/loop-sensor/cli';
import { TARGET_DEFAULTS, feed, summaryLine } from '@saferoads/loop-sensor/targets';
import { WEATHER_FORMAT, WeatherSimulator } from '@saferoads/weather-sim';
import { parseWeatherOptions, type RawWeatherOptions, type WeatherConfig } from '@saferoads/weather-sim/cli';

interface Prepared {
  readonly cfg: WeatherConfig;
  readonly sim: WeatherSimulator;
  readonly dest: Destination;
}

function prepare(raw: RawWeatherOptions): Prepared {
  const cfg = parseWeatherOptions(raw, Date.now());
  let network: Network;
  try {
    network = loadNetwork(cfg.networkPath);
  } catch (err) {
    throw new OptionError('--network', (err as Error).message);
  }
  const sim = new WeatherSimulator({
    network,
    seed: cfg.seed,
    startMs: cfg.startMs,
    minutes: cfg.minutes,
    intervalS: cfg.intervalS,
    stationSpacingKm: cfg.stationSpacingKm,
    temperatureOffsetC: cfg.temperatureOffsetC,
  });
  return { cfg, sim, dest: destinationOf(cfg.target, cfg.out, { out: cfg.out !== undefined && raw.out === undefined ? '--output' : '--out', target: '--target' }) };
}

async function run({ cfg, sim, dest }: Prepared, command: Command): Promise<void> {
  const warn = warner(command);
  const settings = { batchSize: cfg.batchSize, concurrency: cfg.concurrency, attempts: cfg.attempts, paced: cfg.speed > 0, onRetry: (m: string) => warn(`simulate-weather: ${m}`) };
  const sink = await openSink(dest, WEATHER_FORMAT, TOPICS.weather, settings).catch((err: unknown) => deliveryError(command, err));
  const interrupt = cfg.target ? interruptOnSigint('simulate-weather', warn) : undefined;
  const result = await feed(pace(sim.batches(), cfg.speed), sink, interrupt ? { signal: interrupt.signal } : {});
  interrupt?.dispose();
  if (cfg.target) warn(summaryLine(sink.name, result, 'simulate-weather'));
  if (result.error) deliveryError(command, result.error);
  if (result.interrupted) process.exitCode = INTERRUPTED_EXIT;
}

export function simulateWeatherCommand(): Command {
  return new Command('simulate-weather')
    .description(
      'Simulate road weather stations along a road network (moving rain fronts, snow and frost, fog patches, ' +
        'gusts, the daily temperature cycle, road surface state) and write their readings as NDJSON WeatherObservations',
    )
    .option('--seed <n>', 'random seed: the same seed and options give byte-identical output', '1')
    .option('--minutes <n>', 'simulated minutes', '60')
    .option('--start <iso>', 'simulated start, ISO time with offset (default: now, floored to the minute)')
    .option('--interval <seconds>', 'seconds between a station\'s readings (default 300)')
    .option('--network <file>', 'road network GeoJSON (default: the bundled A13 Brenner model)')
    .option('--station-spacing <km>', 'distance between stations along the road (default 8)')
    .option('--temperature-offset <celsius>', 'add this to every temperature: a cold spell brings snow and ice in any season')
    .option('--speed <x>', 'pace: 0 = as fast as possible, 1 = real time, 10 = ten times real time', '0')
    .option('--out <file>', 'write to a file instead of stdout')
    .addOption(new Option('--output <file>', 'the same as --out').hideHelp())
    .option(
      '--target <url>',
      'feed a running deployment instead: http://host:port (the weather gateway, POST /v1/weather/observations) or ' +
        'kafka://host:port[,host:port] (produce to weather.observations; TLS/SASL from KAFKA_* variables)',
    )
    .option('--batch-size <n>', `with --target: most records per request or producer send (default ${TARGET_DEFAULTS.batchSize})`)
    .option('--concurrency <n>', `with an http target: requests in flight, each station on one (default ${TARGET_DEFAULTS.concurrency})`)
    .option('--attempts <n>', `with an http target: attempts per request before the run fails (default ${TARGET_DEFAULTS.attempts})`)
    .addHelpText(
      'after',
      `
Examples:
  saferoads simulate-weather --seed 7 --start 2026-01-20T05:00:00Z --minutes 180 > weather.ndjson
  saferoads simulate-weather --temperature-offset -8 --interval 600 --out cold.ndjson
  saferoads simulate-weather --speed 1 --target http://localhost:8083
  saferoads simulate-weather --minutes 1440 --target kafka://localhost:9094`,
    )
    .exitOverride(exitCodeOf)
    .action(async (raw: RawWeatherOptions, command: Command) => {
      let prepared: Prepared;
      try {
        prepared = prepare(raw);
      } catch (err) {
        usageError(command, err);
      }
      await run(prepared, command);
    });
}

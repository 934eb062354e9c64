import { Command, Option } from 'commander';
import { InProcessBus } from '@saferoads/shared/bus';
import { createLogger } from '@saferoads/shared/logger';
import { loadNetwork } from '@saferoads/shared/network';
import { TOPICS } from '@saferoads/shared/topics';
import { startStatsRunner, statsTopicSpecs } from '@saferoads/traffic-stats';
import { LoopSimulator, pace } from '@saferoads/loop-sensor';
import { LiveView } from '../live-view.js';
import { intOption, numberOption } from '../options.js';

interface StartOptions {
  network?: string;
  seed: number;
  speed: number;
  start?: string;
  minutes: number;
  partitions: number;
  top: number;
}

/**
 * The embedded main job: simulator, bus and statistics in one process, paced in real time, with a
 * table per minute. Later stages (scoring, API, dashboard) join the same in-process bus.
 */
export function startCommand(): Command {
  return new Command('start')
    .description('Run the whole pipeline in one process (in-process bus): simulated loops -> traffic statistics, shown live')
    .option('--network <file>', 'road network GeoJSON (default: the bundled A13 demo network)')
    .addOption(new Option('--seed <n>', 'simulation seed').argParser(intOption('--seed', 0)).default(1))
    .addOption(new Option('--speed <x>', 'simulated seconds per wall-clock second (0 = as fast as possible)').argParser(numberOption('--speed', 0, 1000)).default(1))
    .option('--start <iso>', 'simulated start time (default: now)')
    .addOption(new Option('--minutes <n>', 'simulated minutes to run').argParser(intOption('--minutes', 1)).default(7 * 24 * 60))
    .addOption(new Option('--partitions <n>', 'partitions of every topic').argParser(intOption('--partitions', 1, 64)).default(1))
    .addOption(new Option('--top <n>', 'slowest segments shown per minute').argParser(intOption('--top', 0, 100)).default(8))
    .action(async (o: StartOptions) => {
      const log = createLogger('saferoads');
      const network = loadNetwork(o.network);
      const startMs = o.start === undefined ? Math.floor(Date.now() / 1000) * 1000 : Date.parse(o.start);
      if (Number.isNaN(startMs)) throw new Error(`--start must be an ISO time, got "${o.start}"`);
      // Event time as the simulator paces it: idle partitions' watermarks follow this clock.
      const t0 = Date.now();
      const wallClock = () => startMs + (Date.now() - t0) * o.speed;

      const bus = new InProcessBus();
      await bus.ensureTopics(statsTopicSpecs(o.partitions));
      const view = new LiveView(network, (t) => process.stdout.write(t + '\n'), o.top);
      const stats = await startStatsRunner({ bus, network, log, wallClock, onStats: (r) => view.add(r) });
      process.stdout.write(
        `Saferoads embedded pipeline: ${network.name}, ${network.segments.length} segments, ${network.detectors.size} loops, ` +
          `speed ${o.speed}x from ${new Date(startMs).toISOString()}. Each minute's table appears about 15 s after the minute ends. Ctrl-C stops.\n`,
      );

      let stopping = false;
      const stop = async (flush: boolean) => {
        if (stopping) return;
        stopping = true;
        await stats.stop({ flush });
        await bus.close();
        const c = stats.stage.counters;
        process.stdout.write(`\nstopped: ${c.accepted} detections, ${c.windowsClosed} window boundaries closed, ${c.late} late, ${c.rejected} refused\n`);
      };
      process.once('SIGINT', () => void stop(false));
      process.once('SIGTERM', () => void stop(false));

      const sim = new LoopSimulator({ network, seed: o.seed, startMs, minutes: o.minutes });
      const producer = bus.producer();
      for await (const batch of pace(sim.batches(), o.speed)) {
        if (stopping) break;
        const records = batch.detections.map((d) => ({ key: network.detectors.get(d.detectorId)?.segmentId ?? null, value: JSON.stringify(d), timestamp: d.ts }));
        await producer.send(TOPICS.detections, records);
      }
      // The simulation ran to its end: let the stage take in what is queued, then close the last windows.
      const end = await bus.endOffsets(TOPICS.detections);
      const behind = () => end.some((e, p) => e > 0 && (stats.positions().get(p) ?? 0) < e);
      while (!stopping && behind()) await new Promise((r) => setTimeout(r, 20));
      await stop(true);
    });
}

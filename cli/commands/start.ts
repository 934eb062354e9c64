import { Command, InvalidArgumentError, Option } from 'commander';
import { createLogger } from '@saferoads/shared/logger';
import { loadNetwork, type Network } from '@saferoads/shared/network';
import type { Incident } from '@saferoads/loop-sensor';
import { checkIncidents, parseIncident } from '@saferoads/loop-sensor/cli';
import { startEmbeddedPipeline } from '../embedded-pipeline.js';
import { LiveView } from '../live-view.js';
import { intOption, numberOption } from '../options.js';
import { DEFAULT_MODEL_PATH, loadRiskModel } from '../risk-model.js';

interface StartOptions {
  network?: string;
  seed: number;
  speed: number;
  start?: string;
  minutes: number;
  partitions: number;
  top: number;
  model?: string;
  incident?: string | true;
  temperatureOffset: number;
  api: boolean;
  apiPort: number;
  apiHost: string;
}

/** The demo incident of a bare --incident: one of two lanes closed on a busy northbound segment, 2 minutes in, for 45 minutes. */
export const DEMO_INCIDENT = { segmentId: 'A13-N-020', afterMinutes: 2, durationMin: 45, lanesBlocked: 1 } as const;

/** --incident's value: a spec as `saferoads simulate --incident` takes it, or none for the demo incident. */
export function incidentOf(value: string | true | undefined, network: Network, startMs: number): Incident[] {
  if (value === undefined) return [];
  let incident: Incident;
  if (value === true) {
    const seg = network.byId.get(DEMO_INCIDENT.segmentId) ?? network.segments.find((s) => s.props.lanes >= 2 && s.props.detectors.length > 0);
    if (!seg) throw new InvalidArgumentError('--incident: the network has no segment with two lanes for the demo incident; give segmentId@ISO-time/minutes[/lanes]');
    incident = { segmentId: seg.id, startMs: startMs + DEMO_INCIDENT.afterMinutes * 60_000, durationMin: DEMO_INCIDENT.durationMin, lanesBlocked: DEMO_INCIDENT.lanesBlocked };
  } else incident = parseIncident(value);
  checkIncidents([incident], network);
  return [incident];
}

/**
 * The embedded main job: simulator with weather, bus, statistics and risk scoring in one
 * process (startEmbeddedPipeline), paced in real time, with a table per minute of the traffic
 * and of the riskiest segments, and a line per alert event. The alert API and the dashboard
 * attach to the same in-process bus.
 */
export function startCommand(): Command {
  return new Command('start')
    .description('Run the whole pipeline in one process (in-process bus): simulated loops and weather -> traffic statistics -> risk scores and alerts, shown live')
    .option('--network <file>', 'road network GeoJSON (default: the bundled A13 demo network)')
    .addOption(new Option('--seed <n>', 'simulation seed').argParser(intOption('--seed', 0)).default(1))
    .addOption(new Option('--speed <x>', 'simulated seconds per wall-clock second (0 = as fast as possible)').argParser(numberOption('--speed', 0, 1000)).default(1))
    .option('--start <iso>', 'simulated start time (default: now)')
    .addOption(new Option('--minutes <n>', 'simulated minutes to run').argParser(intOption('--minutes', 1)).default(7 * 24 * 60))
    .addOption(new Option('--partitions <n>', 'partitions of every topic').argParser(intOption('--partitions', 1, 64)).default(1))
    .addOption(new Option('--top <n>', 'slowest and riskiest segments shown per minute').argParser(intOption('--top', 0, 100)).default(8))
    .option('--model <file>', `risk model, ONNX with its metadata beside it (default: ${DEFAULT_MODEL_PATH.replace(/.*\/models\//, 'models/')})`)
    .option(
      '--incident [spec]',
      `force an incident: segmentId@ISO-time/minutes[/lanes] as saferoads simulate takes it; bare, one of two lanes closed on ` +
        `${DEMO_INCIDENT.segmentId} ${DEMO_INCIDENT.afterMinutes} minutes in for ${DEMO_INCIDENT.durationMin} minutes (the queue behind it raises alerts upstream within minutes)`,
    )
    .addOption(new Option('--api-port <n>', 'port of the alert API and the dashboard (docs/alert-api.md); 0 picks a free one').argParser(intOption('--api-port', 0, 65_535)).default(8080))
    .option('--api-host <address>', 'address the alert API binds to', '127.0.0.1')
    .option('--no-api', 'run without the alert API')
    .addOption(new Option('--temperature-offset <celsius>', 'add this to every simulated temperature (a cold spell brings snow and ice)').argParser(numberOption('--temperature-offset', -40, 40)).default(0))
    .action(async (o: StartOptions) => {
      const log = createLogger('saferoads');
      const network = loadNetwork(o.network);
      const startMs = o.start === undefined ? Math.floor(Date.now() / 60_000) * 60_000 : Date.parse(o.start);
      if (Number.isNaN(startMs)) throw new Error(`--start must be an ISO time, got "${o.start}"`);
      const incidents = incidentOf(o.incident, network, startMs);
      const { spec, slot } = await loadRiskModel({ model: o.model });
      const view = new LiveView(network, (t) => process.stdout.write(t + '\n'), o.top);
      const pipeline = await startEmbeddedPipeline({
        network,
        spec,
        model: slot,
        log,
        seed: o.seed,
        speed: o.speed,
        startMs,
        minutes: o.minutes,
        partitions: o.partitions,
        incidents,
        temperatureOffsetC: o.temperatureOffset,
        onStats: (r) => view.add(r),
        onScored: (s) => view.scored(s),
      });
      // The alert API consumes the pipeline's bus from the start, and publishes thresholds on it in the simulation's time (docs/alert-api.md).
      const api = o.api ? await (await import('../embedded-api.js')).startEmbeddedApi({ bus: pipeline.bus, network, log, port: o.apiPort, host: o.apiHost, eventNow: pipeline.clock }) : null;
      if (api) {
        process.stdout.write(
          `Alert API and dashboard: ${api.url}/ (OpenAPI: ${api.url}/docs)\n` +
            `  API keys for this run: admin ${api.keys.admin}\n                        operator ${api.keys.operator}\n                        viewer ${api.keys.viewer}\n` +
            `  e.g. curl -H "Authorization: Bearer ${api.keys.viewer}" ${api.url}/v1/alerts\n`,
        );
      }
      process.stdout.write(
        `Saferoads embedded pipeline: ${network.name}, ${network.segments.length} segments, ${network.detectors.size} loops, ` +
          `${pipeline.weather.stations.length} weather stations, model ${slot.current.version}, speed ${o.speed}x from ${new Date(startMs).toISOString()}` +
          `${incidents.map((i) => `; incident on ${i.segmentId} from ${new Date(i.startMs).toISOString()} for ${i.durationMin} min, ${i.lanesBlocked ?? 1} lane(s) closed`).join('')}. ` +
          `Each minute's tables appear about 15 s after the minute ends. Ctrl-C stops.\n`,
      );
      const summary = () => {
        const c = pipeline.stats.stage.counters;
        const r = pipeline.risk.counters;
        process.stdout.write(
          `\nstopped: ${c.accepted} detections, ${c.windowsClosed} window boundaries closed, ${c.late} late, ${c.rejected} refused; ` +
            `${r.scores} risk scores, ${r.alerts} alert events, ${r.scoreFailures} minutes failed\n`,
        );
      };
      // Ctrl-C stops every stage without closing open windows (a real deployment would resume them).
      const interrupt = () => void pipeline.stop({ flush: false });
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);
      await pipeline.run();
      await pipeline.stop();
      await api?.close();
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      summary();
    });
}

/**
 * End to end on one machine: simulator -> loop ingest gateway (HTTP) -> bus -> traffic-stats ->
 * bus, over Kafka (the broker started here, every stage its own process) and over the in-process
 * bus (gateway and stage in one process), for the ratio of Kafka's cost.
 *
 *   node --import tsx bench/pipeline-e2e.ts [minutes=120] [kafka|in-process|both]
 *
 * The simulator runs as fast as it can (its own process, `saferoads simulate --target http://`).
 * Reported: detections per second from the first request to the last window record readable,
 * Kafka records per second (in and out), and the latency from a window closing (the watermark
 * passing its end plus grace: the stats record's `closed-at` header) to its record being read
 * from traffic.stats by a read_committed consumer, p50 and p99.
 * Set KAFKA_BROKERS to use a running broker instead of starting one on port 39092.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InProcessBus, KafkaBus, type Bus, type BusConsumer } from '@saferoads/shared/bus';
import { createLogger } from '@saferoads/shared/logger';
import { loadNetwork } from '@saferoads/shared/network';
import { ServiceMetrics } from '@saferoads/shared/service';
import { TOPICS } from '@saferoads/shared/topics';
import { buildApp, loopIngestConfig } from '@saferoads/loop-ingest';
import { startStatsRunner, statsTopicSpecs } from '@saferoads/traffic-stats';
import { brokerEnv, dataDir, runKafkaScript } from '../test/kafka-broker.js';

const root = join(import.meta.dirname, '..');
const minutes = Number(process.argv[2] ?? 120);
const mode = process.argv[3] ?? 'both';
const PARTITIONS = 4;
const GATEWAY_PORT = 18_481;
const BENCH_BROKER_PORT = 39_092;
const START = '2026-05-12T07:00:00+02:00';
/**
 * Requests in flight from the simulator. It maps segments to connections as Kafka maps them to
 * partitions, so with one connection per partition every partition's records arrive in simulated
 * order; with more, connections racing ahead of each other (the simulator runs as fast as it can)
 * make other connections' records late.
 */
const SIM_CONCURRENCY = Number(process.env.BENCH_SIM_CONCURRENCY ?? 4);
/**
 * Detections of a segment the gateway packs into one loop.detections record (its
 * LOOP_INGEST_DETECTIONS_PER_RECORD; 1, one vehicle per record, is the default) and the event
 * time one record may span (LOOP_INGEST_RECORD_SPAN_MS).
 */
const PACK = process.env.BENCH_PACK ?? '1';
const PACK_SPAN_MS = process.env.BENCH_PACK_SPAN_MS ?? '5000';
const packing = { LOOP_INGEST_DETECTIONS_PER_RECORD: PACK, LOOP_INGEST_RECORD_SPAN_MS: PACK_SPAN_MS };
const logDir = join(root, 'artifacts');
mkdirSync(logDir, { recursive: true });
const quiet = createLogger('bench', { level: 'warn' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function spawnLogged(name: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const log = createWriteStream(join(logDir, `bench-${name}.log`));
  // BENCH_CPU_PROF=1: each process writes a V8 CPU profile to artifacts/prof/ when it exits.
  if (process.env.BENCH_CPU_PROF) args = ['--cpu-prof', `--cpu-prof-dir=${join(logDir, 'prof', name)}`, ...args];
  // The services' own V8 setting (package.json start:* scripts, docker-compose.yml): a young
  // generation big enough for a batch's short-lived objects (docs/operations.md).
  args = ['--max-semi-space-size=64', ...args];
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

async function waitReady(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready within ${ms} ms`);
    await sleep(200);
  }
}

/** Runs the simulator against the gateway; resolves with its wall time. */
function simulate(): Promise<{ startedMs: number; endedMs: number }> {
  const startedMs = Date.now();
  const child = spawnLogged('simulate', ['bin/saferoads.js', 'simulate', '--seed', '3', '--minutes', String(minutes), '--start', START, '--demand-factor', '1.2', '--target', `http://127.0.0.1:${GATEWAY_PORT}`, '--concurrency', String(SIM_CONCURRENCY), '--batch-size', process.env.BENCH_SIM_BATCH ?? '5000'], {});
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve({ startedMs, endedMs: Date.now() }) : reject(new Error(`simulate exited ${code}: see artifacts/bench-simulate.log`))));
  });
}

interface Observed {
  records: number;
  lastMs: number;
  latencies: number[];
}

/** Reads traffic.stats (read_committed on Kafka) and measures closed-at -> read for every record. */
function observeStats(bus: Bus): { consumer: BusConsumer; seen: Observed } {
  const seen: Observed = { records: 0, lastMs: 0, latencies: [] };
  const consumer = bus.consumer({ groupId: `bench-reader-${Date.now()}`, topics: [TOPICS.stats], fromBeginning: true });
  void consumer.run(async (b) => {
    const now = Date.now();
    for (const r of b.records) {
      const closed = Number(r.headers?.['closed-at']);
      if (Number.isFinite(closed)) seen.latencies.push(now - closed);
    }
    seen.records += b.records.length;
    seen.lastMs = now;
  });
  return { consumer, seen };
}

async function settle(seen: Observed, simEndMs: number): Promise<void> {
  // Done when no record has come for 5 s after the simulator finished.
  while (Date.now() - Math.max(seen.lastMs, simEndMs) < 5_000) await sleep(250);
}

/** Detections the gateway accepted, from its /metrics (with packing, records on the topic are fewer). */
async function acceptedByGateway(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${GATEWAY_PORT}/metrics`)).text();
  const m = /^\w*_records_accepted_total(?:\{[^}]*\})? (\d+)$/m.exec(text);
  if (!m) throw new Error('the gateway\'s /metrics has no records_accepted_total');
  return Number(m[1]);
}

function report(label: string, detections: number, sim: { startedMs: number; endedMs: number }, seen: Observed, extra: Record<string, unknown>) {
  const durationS = (seen.lastMs - sim.startedMs) / 1000;
  const lat = [...seen.latencies].sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      bench: 'pipeline-e2e',
      bus: label,
      simulatedMinutes: minutes,
      detectionsPerRecord: Number(PACK),
      recordSpanMs: Number(PACK_SPAN_MS),
      detections,
      statsRecords: seen.records,
      durationS: Number(durationS.toFixed(2)),
      detectionsPerS: Math.round(detections / durationS),
      ingestPerS: Math.round(detections / ((sim.endedMs - sim.startedMs) / 1000)),
      closeToReadableMs: { p50: quantile(lat, 0.5), p99: quantile(lat, 0.99), max: lat[lat.length - 1] },
      ...extra,
    }),
  );
}

/** CPU seconds (user + system) used so far by each child and by the broker's JVM. */
function cpuSeconds(children: readonly ChildProcess[]): Record<string, number> {
  const tick = 100; // USER_HZ on Linux
  const read = (pid: number | undefined) => {
    if (pid === undefined) return Number.NaN;
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(f[11]) + Number(f[12])) / tick;
    } catch {
      return Number.NaN;
    }
  };
  const out: Record<string, number> = {};
  children.forEach((c, i) => (out[['traffic-stats', 'loop-ingest'][i] ?? `child-${i}`] = read(c.pid)));
  try {
    const pid = Number(execFileSync('pgrep', ['-f', `kafka.Kafka.*${BENCH_BROKER_PORT}|${BENCH_BROKER_PORT}.*kafka.Kafka`], { encoding: 'utf8' }).split('\n')[0]);
    out.broker = read(pid);
  } catch {
    // an external broker
  }
  return out;
}

async function kafkaRun(): Promise<void> {
  const external = process.env.KAFKA_BROKERS;
  const env = brokerEnv(BENCH_BROKER_PORT);
  if (!external) {
    const started = await runKafkaScript('start.sh', ['--fresh'], env, 240_000);
    if (started.code !== 0) throw new Error(`broker did not start:\n${started.output}`);
  }
  const brokers = external ?? `127.0.0.1:${BENCH_BROKER_PORT}`;
  const bus = new KafkaBus({ brokers: brokers.split(','), clientId: 'bench', allowTopicCreation: true, fetchMaxWaitMs: 100 }, { logger: quiet });
  const children: ChildProcess[] = [];
  try {
    await bus.ensureTopics(statsTopicSpecs(PARTITIONS).map((s) => ({ ...s, replicationFactor: 1 })));
    const common = { KAFKA_BROKERS: brokers, KAFKA_ALLOW_TOPIC_CREATION: 'true', KAFKA_TOPIC_PARTITIONS: String(PARTITIONS), KAFKA_REPLICATION_FACTOR: '1', LOG_LEVEL: 'warn' };
    children.push(spawnLogged('traffic-stats', ['--import', 'tsx', 'services/traffic-stats/src/main.ts'], { ...common, PORT: '18482', STATS_GROUP_ID: `bench-${Date.now()}`, KAFKA_FETCH_MAX_WAIT_MS: '50' }));
    children.push(spawnLogged('loop-ingest', ['--import', 'tsx', 'services/loop-ingest/src/main.ts'], { ...common, ...packing, PORT: String(GATEWAY_PORT) }));
    await waitReady(`http://127.0.0.1:${GATEWAY_PORT}/readyz`, 60_000);
    await waitReady('http://127.0.0.1:18482/readyz', 60_000);
    const { consumer, seen } = observeStats(bus);
    await sleep(3_000); // the stats service has joined its group
    const cpuBefore = cpuSeconds(children);
    const sim = await simulate();
    await settle(seen, sim.endedMs);
    const cpu = Object.fromEntries(Object.entries(cpuSeconds(children)).map(([k, v]) => [k, Number((v - (cpuBefore[k] ?? 0)).toFixed(1))]));
    await consumer.stop();
    const ends = async (t: string) => (await bus.endOffsets(t)).reduce((a, b) => a + b, 0);
    const detections = await acceptedByGateway();
    const input = await ends(TOPICS.detections);
    const out = (await ends(TOPICS.stats)) + (await ends(TOPICS.detectionsLate)) + (await ends(TOPICS.detectionsDlq)) + (await ends(TOPICS.statsCheckpoints));
    const late = await ends(TOPICS.detectionsLate);
    const durationS = (seen.lastMs - sim.startedMs) / 1000;
    // Output offsets include one transaction marker per partition written per commit.
    report('kafka', detections, sim, seen, { kafkaRecordsPerS: Math.round((input + out) / durationS), kafkaInputRecords: input, kafkaOutputOffsets: out, lateOffsets: late, cpuSeconds: cpu });
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await sleep(2_000);
    await bus.close();
    if (!external) {
      await runKafkaScript('stop.sh', [], env, 60_000);
      rmSync(dataDir(BENCH_BROKER_PORT), { recursive: true, force: true });
    }
  }
}

async function inProcessRun(): Promise<void> {
  const bus = new InProcessBus();
  await bus.ensureTopics(statsTopicSpecs(PARTITIONS));
  const network = loadNetwork();
  const app = await buildApp({ bus, network, log: quiet, metrics: new ServiceMetrics('loop-ingest', { defaultMetrics: false }), config: loopIngestConfig({ ...packing, PORT: String(GATEWAY_PORT) }) });
  await app.listen({ port: GATEWAY_PORT, host: '127.0.0.1' });
  const runner = await startStatsRunner({ bus, network, log: quiet });
  const { consumer, seen } = observeStats(bus);
  const sim = await simulate();
  await settle(seen, sim.endedMs);
  await consumer.stop();
  const detections = await acceptedByGateway();
  report('in-process', detections, sim, seen, { busInputRecords: (await bus.endOffsets(TOPICS.detections)).reduce((a, b) => a + b, 0) });
  await runner.stop();
  await app.close();
  await bus.close();
}

if (mode === 'in-process' || mode === 'both') await inProcessRun();
if (mode === 'kafka' || mode === 'both') await kafkaRun();

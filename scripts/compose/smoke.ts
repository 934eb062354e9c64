/**
 * The compose deployment run as far as a machine without a Docker engine allows
 * (scripts/check-compose.sh --smoke). From the repository root:
 *
 *   node --import tsx scripts/compose/smoke.ts <model.json>
 *
 * <model.json> is the resolved compose project with every profile (compose-validate). Then:
 *  1. the image's file system is built in a temporary directory by emulating every stage of the
 *     Dockerfile (scripts/compose/image.ts: its COPYs less .dockerignore, its RUNs such as the
 *     `npm ci --omit=dev`, with the stage's ENV such as NODE_ENV=production);
 *  2. a real Kafka broker of the project's pinned version starts (scripts/kafka, its own port,
 *     claimed like the integration tests' brokers) in place of the `kafka` service;
 *  3. each container of the Saferoads image runs there with its compose command and environment
 *     (KAFKA_BROKERS pointed at that broker, PORT at a free port), as uid 1000 when run as root:
 *     the topics job must exit 0, every service's own compose health check must pass, the
 *     simulator (shortened: --speed 0, 3 simulated minutes) must deliver to loop-ingest, and
 *     traffic-stats must publish windows; a second traffic-stats instance joins (scaling);
 *  4. SIGTERM: every service must exit 0 within its stop_grace_period.
 * Exit 0 when all of this held. Needs Java 17+ and Maven (the broker), and the npm registry.
 * Logs of a failed run stay in the temporary directory, whose path is printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emulateBuild, imageLayout } from './image.js';

interface Service {
  command?: string[] | null;
  environment?: Record<string, string | null>;
  healthcheck?: { test?: string[]; interval?: string; retries?: number; start_period?: string };
  stop_grace_period?: string;
  build?: { context: string };
  restart?: string;
}

const ROOT = process.cwd();
const modelPath = process.argv[2];
if (!modelPath) {
  console.error('usage: smoke.ts <model.json>');
  process.exit(2);
}
const model = JSON.parse(readFileSync(modelPath, 'utf8')) as { services: Record<string, Service> };
const ours = Object.entries(model.services).filter(([, s]) => s.build && s.build.context === ROOT);
const find = (pred: (s: Service) => boolean) => ours.find(([, s]) => pred(s));
const topicsJob = find((s) => (s.command ?? []).some((a) => a.endsWith('create-topics.ts')));
const loopIngest = ours.find(([n]) => n === 'loop-ingest');
const trafficStats = ours.find(([n]) => n === 'traffic-stats');
const simulator = find((s) => (s.command ?? []).includes('simulate'));

const log = (msg: string) => console.log(`  smoke: ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const asRoot = process.getuid?.() === 0;

function durationMs(d: string | undefined, dflt: number): number {
  if (!d) return dflt;
  let ms = 0;
  for (const m of d.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) ms += Number(m[1]) * { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 }[m[2] as 'h'];
  return ms;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const children = new Set<ChildProcess>();

/** Starts a process with its output in a log file; `exited` settles when it ends. */
function start(name: string, argv: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; logDir: string; asApp?: boolean }): { child: ChildProcess; exited: Promise<Exit>; logFile: string } {
  const logFile = join(opts.logDir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(argv[0], argv.slice(1), {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['ignore', fd, fd],
    ...(opts.asApp && asRoot && { uid: 1000, gid: 1000 }),
  });
  closeSync(fd);
  children.add(child);
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
    child.once('error', (err) => {
      writeSync(openSync(logFile, 'a'), `\nspawn failed: ${err.message}\n`);
      children.delete(child);
      resolve({ code: null, signal: null });
    });
  });
  return { child, exited, logFile };
}

async function runToEnd(name: string, argv: string[], opts: Parameters<typeof start>[2], timeoutMs: number): Promise<Exit> {
  const p = start(name, argv, opts);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  const exit = await p.exited;
  clearTimeout(timer);
  return exit;
}

function tail(file: string, lines = 30): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).map((l) => `      | ${l}`).join('\n');
}

async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(name)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

// ---------------------------------------------------------------------------------------------
// The broker, claimed like the integration tests' ones (test/int-global-setup.ts)

const kafkaWork = join(ROOT, '.kafka');
const claims = join(kafkaWork, 'int-claims');

async function startBroker(logDir: string): Promise<{ port: number; stop: () => Promise<void> }> {
  mkdirSync(claims, { recursive: true });
  for (let i = 10; i < 30; i++) {
    const port = 19_092 + 100 * i;
    const file = join(claims, String(port));
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch {
      continue;
    }
    writeSync(fd, String(process.pid));
    closeSync(fd);
    if (!((await portFree(port)) && (await portFree(port + 1)))) {
      rmSync(file, { force: true });
      continue;
    }
    const data = join(kafkaWork, 'data', String(port));
    const env = { ...process.env, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(port + 1), KAFKA_DATA_DIR: data };
    const stop = async () => {
      await runToEnd('kafka-stop', [join(ROOT, 'scripts/kafka/stop.sh')], { cwd: ROOT, env, logDir }, 60_000);
      rmSync(data, { recursive: true, force: true });
      rmSync(file, { force: true });
    };
    log(`starting a Kafka broker on 127.0.0.1:${port} (scripts/kafka/start.sh --fresh)`);
    const exit = await runToEnd('kafka-start', [join(ROOT, 'scripts/kafka/start.sh'), '--fresh'], { cwd: ROOT, env, logDir }, 240_000);
    if (exit.code !== 0) {
      await stop();
      throw new Error(`the broker did not start:\n${tail(join(logDir, 'kafka-start.log'))}`);
    }
    return { port, stop };
  }
  throw new Error('no free port for the smoke-test broker');
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!topicsJob || !loopIngest || !trafficStats) throw new Error('the model lacks the topics job, loop-ingest or traffic-stats');
  const dir = mkdtempSync(join(tmpdir(), 'saferoads-smoke-'));
  chmodSync(dir, 0o755);
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true, mode: 0o777 });
  chmodSync(logDir, 0o777);
  log(`working in ${dir}`);
  let ok = false;
  let broker: { port: number; stop: () => Promise<void> } | undefined;
  try {
    // 1. The image's file system: every stage of the Dockerfile, emulated.
    const app = emulateBuild(ROOT, join(dir, 'stages'), (line) => log(line));
    chmodSync(join(dir, 'stages'), 0o755);
    log(`image laid out in ${app}: ${imageLayout(ROOT).imageFiles.size} files from the context, production dependencies only`);

    // 2. The broker.
    broker = await startBroker(logDir);
    const brokers = `127.0.0.1:${broker.port}`;

    const envOf = (s: Service, extra: Record<string, string>): NodeJS.ProcessEnv => {
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: '/tmp', NODE_ENV: 'production' };
      for (const [k, v] of Object.entries(s.environment ?? {})) env[k] = v ?? '';
      if ('KAFKA_BROKERS' in env) env.KAFKA_BROKERS = brokers;
      return { ...env, ...extra };
    };
    const opts = (env: NodeJS.ProcessEnv) => ({ cwd: app, env, logDir, asApp: true });

    // 3a. The topics job.
    const [topicsName, topics] = topicsJob;
    const t = await runToEnd(topicsName, topics.command!, opts(envOf(topics, {})), 180_000);
    if (t.code !== 0) throw new Error(`${topicsName} exited ${t.code ?? t.signal}:\n${tail(join(logDir, `${topicsName}.log`))}`);
    log(`${topicsName}: exit 0 (${/"msg":"([^"]*topics exist)"/.exec(readFileSync(join(logDir, `${topicsName}.log`), 'utf8'))?.[1] ?? 'done'})`);

    // 3b. The services, each until its own health check passes.
    const running: { name: string; port: number; proc: ReturnType<typeof start>; svc: Service }[] = [];
    const launch = async (name: string, svc: Service, instance = name) => {
      const port = await freePort();
      const env = envOf(svc, { PORT: String(port), HOST: '127.0.0.1' });
      const proc = start(instance, svc.command!, opts(env));
      running.push({ name: instance, port, proc, svc });
      const test = svc.healthcheck?.test ?? [];
      const probe = test[0] === 'CMD-SHELL' ? ['sh', '-c', test[1]] : test.slice(1);
      const deadline = Date.now() + durationMs(svc.healthcheck?.start_period, 0) + durationMs(svc.healthcheck?.interval, 30_000) * (svc.healthcheck?.retries ?? 3);
      let exited: Exit | undefined;
      void proc.exited.then((e) => (exited = e));
      for (;;) {
        if (exited) throw new Error(`${instance} exited ${exited.code ?? exited.signal} before it was healthy:\n${tail(proc.logFile)}`);
        const h = await runToEnd(`${instance}-healthcheck`, probe, opts(env), 10_000);
        if (h.code === 0) break;
        if (Date.now() > deadline) throw new Error(`${instance}: its health check (${probe.join(' ').slice(0, 80)}…) never passed:\n${tail(proc.logFile)}`);
        await sleep(1_000);
      }
      log(`${instance}: healthy (its compose health check, GET /readyz on port ${port})`);
      return port;
    };
    const ingestPort = await launch(...loopIngest);
    const statsPort = await launch(...trafficStats);

    // 3c. The simulator, shortened, against loop-ingest.
    if (simulator) {
      const [simName, sim] = simulator;
      const argv = [...sim.command!];
      const set = (opt: string, value: string) => {
        const i = argv.indexOf(opt);
        if (i >= 0) argv[i + 1] = value;
        else argv.push(opt, value);
      };
      set('--target', `http://127.0.0.1:${ingestPort}`);
      set('--speed', '0');
      set('--minutes', '3');
      const s = await runToEnd(simName, argv, opts(envOf(sim, {})), 180_000);
      if (s.code !== 0) throw new Error(`${simName} exited ${s.code ?? s.signal}:\n${tail(join(logDir, `${simName}.log`))}`);
      const accepted = await metric(ingestPort, 'saferoads_loop_ingest_records_accepted_total');
      if (!(accepted > 0)) throw new Error('loop-ingest accepted no detections from the simulator');
      log(`${simName} (${argv.slice(2).join(' ')}): exit 0, loop-ingest accepted ${accepted} detections`);

      const until = Date.now() + 90_000;
      let windows = 0;
      while (Date.now() < until && !(windows > 0)) {
        await sleep(2_000);
        windows = await metric(statsPort, 'saferoads_traffic_stats_windows_total');
      }
      if (!(windows > 0)) throw new Error(`traffic-stats published no window within 90 s:\n${tail(running[1].proc.logFile)}`);
      log(`traffic-stats: ${windows} window records published to traffic.stats`);
    }

    // 3d. Scaling: a second traffic-stats instance joins the group next to the first.
    await launch(trafficStats[0], trafficStats[1], `${trafficStats[0]}-2`);

    // 4. Graceful stop.
    for (const r of [...running].reverse()) {
      const grace = durationMs(r.svc.stop_grace_period, 10_000);
      r.proc.child.kill('SIGTERM');
      const timer = setTimeout(() => r.proc.child.kill('SIGKILL'), grace);
      const t0 = Date.now();
      const e = await r.proc.exited;
      clearTimeout(timer);
      if (e.code !== 0) throw new Error(`${r.name} exited ${e.code ?? e.signal} on SIGTERM (stop_grace_period ${r.svc.stop_grace_period}):\n${tail(r.proc.logFile)}`);
      log(`${r.name}: SIGTERM -> exit 0 in ${Date.now() - t0} ms`);
    }
    ok = true;
  } finally {
    for (const c of children) c.kill('SIGKILL');
    if (broker) await broker.stop();
    if (ok) rmSync(dir, { recursive: true, force: true });
    else log(`logs kept in ${logDir}`);
  }
}

try {
  await main();
  console.log('smoke: ok');
} catch (err) {
  console.log(`  error: ${(err as Error).message}`);
  console.log('smoke: failed');
  process.exit(1);
}

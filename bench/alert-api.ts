// Alert API load (issue 6): requests per second and p99 latency of GET /v1/segments (whole,
// gzipped, revalidated with If-None-Match), /v1/segments/geometry, /v1/segments/scores and
// GET /v1/alerts with 10,000 segments, and the delivery latency of the live stream to 500
// connected clients; on an in-memory PGlite and on a PostgreSQL server, with the same data.
// Three kinds of process, so the load generator does not share the server's event loop: this
// driver, the server (`server`: the API, seeded), autocannon (the load generator, its own
// process), and the stream clients (`clients`).
//
//   node --import tsx bench/alert-api.ts [copies=139] [seconds=10] [connections=50] [streamClients=500] [events=200] [stores=pglite,postgres]
//
// The PostgreSQL server: BENCH_PG_URL (a user that may create databases: the bench creates one of
// its own and drops it), else a throwaway cluster that scripts/postgres/start.sh starts on a free
// port and stop.sh removes (test/postgres-server.ts, as the integration tests do; it takes
// PG_INT_URL too).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { Agent } from 'node:http';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const KEY = `srk_benchbench001_${'b'.repeat(43)}`;
const role = process.argv[2];

/** A realistic national network: `copies` copies of the bundled A13 (72 segments each, ~44 points), spread on a grid. */
async function syntheticNetwork(copies: number) {
  const { DEFAULT_NETWORK_PATH, parseNetwork } = await import('@saferoads/shared/network');
  type Json = { properties: Record<string, unknown>; geometry: { coordinates: number[][] } };
  const base = JSON.parse(readFileSync(DEFAULT_NETWORK_PATH, 'utf8')) as { features: Json[] };
  const features: unknown[] = [];
  for (let k = 0; k < copies; k++) {
    const dLat = (k % 12) * 0.5 - 1.5;
    const dLon = Math.floor(k / 12) * 0.7 - 4;
    for (const f of base.features) {
      const p = { ...f.properties };
      const id = (s: unknown) => `C${k}-${String(s)}`;
      if ('rampId' in p) {
        p.rampId = id(p.rampId);
        p.segmentId = id(p.segmentId);
      } else {
        p.segmentId = id(p.segmentId);
        p.detectors = (p.detectors as { detectorId: string; lane: number }[]).map((d) => ({ ...d, detectorId: id(d.detectorId) }));
      }
      const coordinates = f.geometry.coordinates.map(([lon, lat, z]) => (z === undefined ? [lon + dLon, lat + dLat] : [lon + dLon, lat + dLat, z]));
      features.push({ type: 'Feature', properties: p, geometry: { type: 'LineString', coordinates } });
    }
  }
  return parseNetwork({ type: 'FeatureCollection', name: `synthetic-${copies}`, features });
}

/** The API on `databaseUrl` (an in-memory PGlite when empty) with a score for every segment and 1,000 alerts; reads commands on stdin. */
async function server(copies: number, databaseUrl: string): Promise<void> {
  const { createLogger } = await import('@saferoads/shared/logger');
  const { ServiceMetrics } = await import('@saferoads/shared/service');
  const { buildApp } = await import('../services/alert-api/src/app.js');
  const { alertApiConfig } = await import('../services/alert-api/src/config.js');
  const { ensureBootstrapKeys } = await import('../services/alert-api/src/auth/bootstrap.js');
  const { openStore } = await import('../services/alert-api/src/store/open.js');
  const { alertEvent, score } = await import('../services/alert-api/src/testing/fixtures.js');
  const network = await syntheticNetwork(copies);
  // As the service opens it (main.ts), with the configuration's default pool of 10.
  const config = alertApiConfig({ ALERT_API_RATE_LIMIT_MAX: '10000000', ALERT_API_STREAM_MAX_CLIENTS: '100000', ALERT_API_DASHBOARD_DIR: '/nonexistent' });
  const store = await openStore({ databaseUrl: databaseUrl || undefined, maxConnections: config.dbMaxConnections });
  await ensureBootstrapKeys(store, { viewer: KEY }, Date.now());
  const t0 = performance.now();
  const levels = ['low', 'elevated', 'high', 'severe'] as const;
  const names = ['precipitation', 'speed', 'shockwave', 'volume', 'visibility', 'darkness'];
  // Risks and shares as the scorer gives them (full doubles, two top factors of six), so the
  // scores' text, and how well it compresses, is like a real minute's.
  const seeded = network.segments.map((s, i) => {
    const u = (i * 0.6180339887498949) % 1;
    const risk = 1e-4 * (1 + 9 * u);
    const share = 0.5 + u / 2;
    return score(s.id, 0, { level: levels[i % 4], risk, relativeRisk: risk / 5e-4, factors: [{ name: names[i % 6], share }, { name: names[(i + 1 + (i % 5)) % 6], share: 1 - share }] });
  });
  await store.applyScores(seeded);
  const seedScoresMs = performance.now() - t0;
  // Thresholds are not measured here: PUT /v1/thresholds would publish on an in-process bus.
  const { InProcessBus } = await import('@saferoads/shared/bus');
  const { TOPIC_CONFIG, TOPICS } = await import('@saferoads/shared/topics');
  const bus = new InProcessBus();
  await bus.ensureTopics([{ name: TOPICS.thresholds, partitions: 1, config: { ...TOPIC_CONFIG.thresholds } }]);
  const api = await buildApp({ store, network, log: createLogger('alert-api', { level: 'warn' }), metrics: new ServiceMetrics('alert-api'), config, thresholdsSink: (r) => bus.producer().send(TOPICS.thresholds, [r]) });
  const t1 = performance.now();
  const hex = (i: number, n: number) => i.toString(16).padStart(n, '0');
  const events = Array.from({ length: 1_000 }, (_, i) => {
    const s = network.segments[(i * 7) % network.segments.length];
    return alertEvent(`${hex(i, 8)}-0000-8000-8000-${hex(i, 12)}`, s.id, 0, 'raised', i % 3 === 0 ? 'severe' : 'high', { raisedAtMs: 1_773_126_000_000 + (i % 60) * 60_000 });
  });
  await store.applyAlertEvents(events, (id) => api.geo.get(id));
  const seedAlertsMs = performance.now() - t1;
  // One uncached build of each collection (the cache then serves requests until scores change, or 30 s);
  // the geometry first, as the scores carry its tag.
  const sizes: Record<string, unknown> = {};
  const etags: Record<string, string> = {};
  for (const [name, url] of [['geometry', '/v1/segments/geometry'], ['segments', '/v1/segments'], ['scores', '/v1/segments/scores']] as const) {
    const t = performance.now();
    const plain = await api.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${KEY}` } });
    const buildMs = Math.round(performance.now() - t);
    const zipped = await api.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${KEY}`, 'accept-encoding': 'gzip' } });
    sizes[name] = { bytes: plain.rawPayload.length, gzipBytes: zipped.rawPayload.length, buildMs };
    etags[name] = String(zipped.headers.etag);
  }
  const address = await api.app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ ready: address, store: store.describe, segments: network.segments.length, sizes, etags, seedScoresMs, seedAlertsMs })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    const [cmd, n, intervalMs] = line.split(' ');
    if (cmd === 'stream') {
      // Scores as the consumer streams them, stamped with the wall time they leave.
      for (let i = 0; i < Number(n); i++) {
        api.hub.publish('score', { ...score(network.segments[i % network.segments.length].id, i), sentAt: performance.timeOrigin + performance.now() });
        await new Promise((r) => setTimeout(r, Number(intervalMs)));
      }
      process.stdout.write(`${JSON.stringify({ streamed: Number(n) })}\n`);
    } else if (cmd === 'quit') break;
  }
  await api.app.close();
  await store.close();
  // The command pipe and the plugins' timers would keep the process alive; everything is closed.
  process.exit(0);
}

/** `n` EventSource-like clients; each event's delay from `sentAt` to arrival, until `events` arrived at every client. */
async function clients(base: string, n: number, events: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const delays: number[] = [];
  let done = 0;
  let connected = 0;
  const finished = new Promise<void>((resolve) => {
    for (let c = 0; c < n; c++) {
      const req = request(`${base}/v1/stream?events=score`, { agent, headers: { authorization: `Bearer ${KEY}` } }, (res) => {
        if (++connected === n) process.stdout.write(`${JSON.stringify({ connected })}\n`);
        let buf = '';
        let got = 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const now = performance.timeOrigin + performance.now();
          buf += chunk;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const data = frame.split('\n').find((l) => l.startsWith('data: '));
            if (!data) continue;
            delays.push(now - (JSON.parse(data.slice(6)) as { sentAt: number }).sentAt);
            if (++got === events) {
              req.destroy();
              if (++done === n) resolve();
            }
          }
        });
      });
      req.on('error', () => undefined);
      req.end();
    }
  });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([finished, new Promise((r) => (timer = setTimeout(r, 120_000)))]);
  clearTimeout(timer);
  delays.sort((a, b) => a - b);
  const q = (p: number) => Math.round(delays[Math.min(delays.length - 1, Math.floor(p * delays.length))] * 100) / 100;
  process.stdout.write(`${JSON.stringify({ clients: n, eventsPerClient: events, delivered: delays.length, expected: n * events, p50Ms: q(0.5), p99Ms: q(0.99), maxMs: q(1) })}\n`);
  agent.destroy();
  process.exit(0);
}

function lines(child: ChildProcess, onLine: (v: Record<string, unknown>) => void): void {
  if (!child.stdout) throw new Error('child without stdout');
  createInterface({ input: child.stdout }).on('line', (l) => {
    if (l.startsWith('{')) onLine(JSON.parse(l) as Record<string, unknown>);
  });
}

function until<T>(child: ChildProcess, pick: (v: Record<string, unknown>) => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    lines(child, (v) => {
      const t = pick(v);
      if (t !== undefined) resolve(t);
    });
    child.once('exit', (code) => reject(new Error(`process exited (${code}) before answering`)));
  });
}

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  throughput: { average: number };
  statusCodeStats: Record<string, { count: number }>;
  errors: number;
}

/** autocannon in its own process, JSON out. */
function autocannon(url: string, seconds: number, connections: number, headers: readonly string[] = []): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'node_modules/autocannon/autocannon.js'), '-j', '-c', String(connections), '-d', String(seconds), '-H', `authorization=Bearer ${KEY}`, ...headers.flatMap((h) => ['-H', h]), url], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as AutocannonResult) : reject(new Error(`autocannon exited ${code}`))));
  });
}

/**
 * A database of its own on a PostgreSQL server (BENCH_PG_URL, else a throwaway cluster started
 * for the run); `drop` removes it, and the cluster when the bench started it.
 */
async function benchDatabase(): Promise<{ url: string; version: string; drop: () => Promise<void> }> {
  const { default: pg } = await import('pg');
  const { startIntPostgres } = await import('../test/postgres-server.js');
  const external = process.env.BENCH_PG_URL;
  const server = external ? { url: external, stop: async () => undefined } : await startIntPostgres();
  const name = `bench_alert_api_${randomBytes(4).toString('hex')}`;
  const admin = async <T>(fn: (c: InstanceType<typeof pg.Client>) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  try {
    // A name of our own making (letters, digits, underscores): DDL cannot take it as a parameter.
    const version = await admin(async (c) => {
      await c.query(`CREATE DATABASE ${name}`);
      return (await c.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
    });
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      version,
      drop: async () => {
        await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch((err: unknown) => console.error(`dropping ${name}: ${String(err)}`));
        await server.stop();
      },
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

const load = () => os.loadavg().map((x) => Math.round(x * 100) / 100);

/** Every run against one store: the server process on it, autocannon per endpoint, then the stream clients. */
async function runOn(store: string, databaseUrl: string, seconds: number, connections: number, copies: number, streamClients: number, events: number): Promise<void> {
  const loadBefore = load();
  const srv = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/alert-api.ts'), 'server', String(copies), databaseUrl], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = await until(srv, (v) => (typeof v.ready === 'string' ? v : undefined));
  const base = ready.ready as string;
  const etags = ready.etags as Record<string, string>;
  console.log(JSON.stringify({ bench: 'alert-api setup', store, database: ready.store, segments: ready.segments, sizes: ready.sizes, seedScoresMs: Math.round(ready.seedScoresMs as number), seedAlertsMs: Math.round(ready.seedAlertsMs as number) }));
  const gzip = 'accept-encoding=gzip';
  // Browsers ask for gzip; the first run shows the uncompressed cost. The If-None-Match runs are a
  // client revalidating its copy (the tag stays while no scores arrive).
  const runs: [string, string[]][] = [
    ['/v1/segments', []],
    ['/v1/segments', [gzip]],
    ['/v1/segments', [gzip, `if-none-match=${etags.segments}`]],
    ['/v1/segments/geometry', [gzip]],
    ['/v1/segments/scores', [gzip]],
    ['/v1/segments/scores', [gzip, `if-none-match=${etags.scores}`]],
    ['/v1/alerts?limit=100', []],
    ['/v1/alerts?status=open&level=severe&limit=50', []],
  ];
  for (const [path, headers] of runs) {
    const r = await autocannon(`${base}${path}`, seconds, connections, headers);
    const statuses = Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, v]) => [code, v.count]));
    const shown = headers.map((h) => (h.startsWith('if-none-match=') ? 'if-none-match' : h));
    console.log(JSON.stringify({ bench: `GET ${path}${shown.length ? ` (${shown.join(', ')})` : ''}`, store, connections, seconds, requestsPerSecond: Math.round(r.requests.average), p50Ms: r.latency.p50, p99Ms: r.latency.p99, mbPerSecond: Math.round(r.throughput.average / 1e5) / 10, statuses, errors: r.errors }));
  }
  const cl = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/alert-api.ts'), 'clients', base, String(streamClients), String(events)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const result = new Promise<Record<string, unknown>>((resolve) => lines(cl, (v) => v.delivered !== undefined && resolve(v)));
  await until(cl, (v) => (v.connected !== undefined ? true : undefined));
  srv.stdin?.write(`stream ${events} 50\n`);
  const r = await result;
  console.log(JSON.stringify({ bench: 'GET /v1/stream delivery', store, ...r, eventIntervalMs: 50 }));
  srv.stdin?.write('quit\n');
  await new Promise((resolve) => srv.once('exit', resolve));
  console.log(JSON.stringify({ bench: 'alert-api machine', store, cpus: os.cpus().length, loadavgBefore: loadBefore, loadavgAfter: load() }));
}

async function driver(copies: number, seconds: number, connections: number, streamClients: number, events: number, stores: readonly string[]): Promise<void> {
  for (const store of stores) {
    if (store === 'pglite') {
      await runOn(store, '', seconds, connections, copies, streamClients, events);
    } else if (store === 'postgres') {
      const db = await benchDatabase();
      // Interrupted: the database and the cluster go all the same (the server process dies with its pipe).
      const interrupted = () => void db.drop().finally(() => process.exit(130));
      process.once('SIGINT', interrupted);
      try {
        console.log(JSON.stringify({ bench: 'alert-api postgres', serverVersion: db.version, external: Boolean(process.env.BENCH_PG_URL) }));
        await runOn(store, db.url, seconds, connections, copies, streamClients, events);
      } finally {
        process.off('SIGINT', interrupted);
        await db.drop();
      }
    } else {
      throw new Error(`unknown store ${store}: pglite or postgres`);
    }
  }
}

if (role === 'server') await server(Number(process.argv[3]), process.argv[4] ?? '');
else if (role === 'clients') await clients(process.argv[3], Number(process.argv[4]), Number(process.argv[5]));
else {
  const [copies = 139, seconds = 10, connections = 50, streamClients = 500, events = 200] = process.argv.slice(2, 7).map(Number);
  const stores = (process.argv[7] ?? 'pglite,postgres').split(',');
  await driver(copies, seconds, connections, streamClients, events, stores);
}

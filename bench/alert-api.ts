// Alert API load (issue 6): requests per second and p99 latency of GET /v1/segments and
// GET /v1/alerts with 10,000 segments, and the delivery latency of the live stream to 500
// connected clients. Three kinds of process, so the load generator does not share the server's
// event loop: this driver, the server (`server`: the API on PGlite, seeded), autocannon (the
// load generator, its own process), and the stream clients (`clients`).
//
//   node --import tsx bench/alert-api.ts [copies=139] [seconds=10] [connections=50] [streamClients=500] [events=200]
import { spawn, type ChildProcess } from 'node:child_process';
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

/** The API on an in-memory PGlite with a score for every segment and 1,000 alerts; reads commands on stdin. */
async function server(copies: number): Promise<void> {
  const { createLogger } = await import('@saferoads/shared/logger');
  const { ServiceMetrics } = await import('@saferoads/shared/service');
  const { buildApp } = await import('../services/alert-api/src/app.js');
  const { alertApiConfig } = await import('../services/alert-api/src/config.js');
  const { ensureBootstrapKeys } = await import('../services/alert-api/src/auth/bootstrap.js');
  const { openPglite } = await import('../services/alert-api/src/store/pglite.js');
  const { PgAlertStore } = await import('../services/alert-api/src/store/pg-store.js');
  const { alertEvent, score } = await import('../services/alert-api/src/testing/fixtures.js');
  const network = await syntheticNetwork(copies);
  const store = await PgAlertStore.open(await openPglite());
  await ensureBootstrapKeys(store, { viewer: KEY }, Date.now());
  const t0 = performance.now();
  const levels = ['low', 'elevated', 'high', 'severe'] as const;
  await store.applyScores(network.segments.map((s, i) => score(s.id, 0, { level: levels[i % 4] })));
  const seedScoresMs = performance.now() - t0;
  const api = await buildApp({
    store,
    network,
    log: createLogger('alert-api', { level: 'warn' }),
    metrics: new ServiceMetrics('alert-api'),
    config: alertApiConfig({ ALERT_API_RATE_LIMIT_MAX: '10000000', ALERT_API_STREAM_MAX_CLIENTS: '100000', ALERT_API_DASHBOARD_DIR: '/nonexistent' }),
  });
  const t1 = performance.now();
  const hex = (i: number, n: number) => i.toString(16).padStart(n, '0');
  const events = Array.from({ length: 1_000 }, (_, i) => {
    const s = network.segments[(i * 7) % network.segments.length];
    return alertEvent(`${hex(i, 8)}-0000-8000-8000-${hex(i, 12)}`, s.id, 0, 'raised', i % 3 === 0 ? 'severe' : 'high', { raisedAtMs: 1_773_126_000_000 + (i % 60) * 60_000 });
  });
  await store.applyAlertEvents(events, (id) => api.geo.get(id));
  const seedAlertsMs = performance.now() - t1;
  // One uncached build of the segments collection (the cache then serves requests for up to 1 s).
  const t2 = performance.now();
  const first = await api.app.inject({ method: 'GET', url: '/v1/segments', headers: { authorization: `Bearer ${KEY}` } });
  const buildMs = performance.now() - t2;
  const address = await api.app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ ready: address, segments: network.segments.length, segmentsBytes: first.body.length, buildMs, seedScoresMs, seedAlertsMs })}\n`);
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

/** autocannon in its own process, JSON out. */
function autocannon(url: string, seconds: number, connections: number, headers: readonly string[] = []): Promise<{ requests: { average: number }; latency: { p50: number; p99: number }; throughput: { average: number }; non2xx: number; errors: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'node_modules/autocannon/autocannon.js'), '-j', '-c', String(connections), '-d', String(seconds), '-H', `authorization=Bearer ${KEY}`, ...headers.flatMap((h) => ['-H', h]), url], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`autocannon exited ${code}`))));
  });
}

async function driver(copies: number, seconds: number, connections: number, streamClients: number, events: number): Promise<void> {
  const load = () => os.loadavg().map((x) => Math.round(x * 100) / 100);
  const loadBefore = load();
  const srv = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/alert-api.ts'), 'server', String(copies)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = await until(srv, (v) => (typeof v.ready === 'string' ? v : undefined));
  const base = ready.ready as string;
  console.log(JSON.stringify({ bench: 'alert-api setup', segments: ready.segments, segmentsResponseBytes: ready.segmentsBytes, segmentsBuildMs: Math.round(ready.buildMs as number), seedScoresMs: Math.round(ready.seedScoresMs as number) }));
  // Browsers ask for gzip; the first run shows the uncompressed cost.
  const runs: [string, string[]][] = [
    ['/v1/segments', []],
    ['/v1/segments', ['accept-encoding=gzip']],
    ['/v1/alerts?limit=100', []],
    ['/v1/alerts?status=open&level=severe&limit=50', []],
  ];
  for (const [path, headers] of runs) {
    const r = await autocannon(`${base}${path}`, seconds, connections, headers);
    console.log(JSON.stringify({ bench: `GET ${path}${headers.length ? ` (${headers.join(', ')})` : ''}`, connections, seconds, requestsPerSecond: Math.round(r.requests.average), p50Ms: r.latency.p50, p99Ms: r.latency.p99, mbPerSecond: Math.round(r.throughput.average / 1e5) / 10, non2xx: r.non2xx, errors: r.errors }));
  }
  const cl = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/alert-api.ts'), 'clients', base, String(streamClients), String(events)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const result = new Promise<Record<string, unknown>>((resolve) => lines(cl, (v) => v.delivered !== undefined && resolve(v)));
  await until(cl, (v) => (v.connected !== undefined ? true : undefined));
  srv.stdin?.write(`stream ${events} 50\n`);
  const r = await result;
  console.log(JSON.stringify({ bench: 'GET /v1/stream delivery', ...r, eventIntervalMs: 50 }));
  srv.stdin?.write('quit\n');
  await new Promise((resolve) => srv.once('exit', resolve));
  console.log(JSON.stringify({ bench: 'alert-api machine', cpus: os.cpus().length, loadavgBefore: loadBefore, loadavgAfter: load() }));
}

if (role === 'server') await server(Number(process.argv[3]));
else if (role === 'clients') await clients(process.argv[3], Number(process.argv[4]), Number(process.argv[5]));
else {
  const [copies = 139, seconds = 10, connections = 50, streamClients = 500, events = 200] = process.argv.slice(2).map(Number);
  await driver(copies, seconds, connections, streamClients, events);
}

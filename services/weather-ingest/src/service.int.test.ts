/**
 * The weather-ingest service as its own process (npm run start:weather-ingest) against the real
 * broker: posted readings and polled ones (from a local stand-in for Open-Meteo serving a recorded
 * answer) land on weather.observations keyed by station, refused ones on the dead-letter topic,
 * and SIGTERM stops it gracefully. Topics are fresh per test through SAFEROADS_TOPIC_* renames.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { freshName, intBrokers, intClientsPerTest, waitFor } from '@saferoads/shared/bus/testing';
import type { ConsumedRecord, KafkaBus } from '@saferoads/shared/bus';
import type { DeadLetter } from '@saferoads/shared/topics';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, metricValue, observation } from './testing/harness.js';

const MAIN = join(import.meta.dirname, 'main.ts');
const ARTIFACTS = join(import.meta.dirname, '../../../artifacts');
const clients = intClientsPerTest();

/** A free TCP port on 127.0.0.1. */
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

interface Service {
  readonly url: string;
  readonly child: ChildProcess;
  readonly exit: Promise<number | null>;
}

const running: Service[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((srv) => new Promise((r) => srv.close(r))));
});

async function startService(env: Record<string, string>): Promise<Service> {
  const port = await freePort();
  mkdirSync(ARTIFACTS, { recursive: true });
  const log = createWriteStream(join(ARTIFACTS, 'weather-ingest-int.log'), { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, KAFKA_BROKERS: intBrokers().join(','), KAFKA_ALLOW_TOPIC_CREATION: 'true', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const s = { url: `http://127.0.0.1:${port}`, child, exit };
  running.push(s);
  await waitFor(async () => (await fetch(`${s.url}/readyz`).catch(() => null))?.status === 200, 45_000, 'weather-ingest to be ready');
  return s;
}

/** One series of the service's GET /metrics. */
const metric = (s: Service, name: string, labels: Record<string, string> = {}) =>
  metricValue({ inject: async () => ({ body: await (await fetch(`${s.url}/metrics`)).text() }) }, name, labels);

async function readAll(bus: KafkaBus, topic: string, n: number): Promise<ConsumedRecord[]> {
  const got: ConsumedRecord[] = [];
  const c = clients.consumer(bus.consumer({ groupId: freshName('reader'), topics: [topic], fromBeginning: true }));
  const run = c.run(async (b) => void got.push(...b.records));
  await waitFor(() => got.length >= n, 30_000, `${n} records on ${topic}`, run);
  return got;
}

describe('weather-ingest as a process on Kafka', () => {
  it('acknowledges posted readings once Kafka has them, dead-letters the refused, and stops on SIGTERM with exit 0', async () => {
    const topics = { SAFEROADS_TOPIC_WEATHER: freshName('weather'), SAFEROADS_TOPIC_WEATHER_DLQ: freshName('weather-dlq') };
    const s = await startService(topics);
    const batch = [observation('WS-A13-S-001'), observation('WS-A13-S-020', 1), { ...observation('WS-X'), windSpeedMs: -1 }, observation('WS-A13-S-001', 2)];
    const res = await fetch(`${s.url}/v1/weather/observations`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: batch.map((o) => JSON.stringify(o)).join('\n') });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 3, rejected: 1, errors: [{ index: 2, field: 'windSpeedMs', reason: 'must be >= 0' }] });

    const bus = clients.bus();
    const written = await readAll(bus, topics.SAFEROADS_TOPIC_WEATHER, 3);
    expect(written.map((r) => [r.key, JSON.parse(r.value)]).sort((a, b) => String(a[0]).localeCompare(String(b[0])) || (a[1] as { ts: number }).ts - (b[1] as { ts: number }).ts)).toEqual([
      ['WS-A13-S-001', batch[0]],
      ['WS-A13-S-001', batch[3]],
      ['WS-A13-S-020', batch[1]],
    ]);
    const [letter] = await readAll(bus, topics.SAFEROADS_TOPIC_WEATHER_DLQ, 1);
    expect((JSON.parse(letter.value) as DeadLetter).reason).toBe('windSpeedMs: must be >= 0');
    expect(await metric(s, 'saferoads_weather_ingest_records_accepted_total')).toBe(3);

    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
  });

  it('polls a stand-in for Open-Meteo and publishes what it answers through the same path', async () => {
    const urls: string[] = [];
    const meteo = createServer((req, res) => {
      urls.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end(fixture('a13-two-points.json'));
    });
    servers.push(meteo);
    await new Promise<void>((r) => meteo.listen(0, '127.0.0.1', () => r()));
    const topics = { SAFEROADS_TOPIC_WEATHER: freshName('weather'), SAFEROADS_TOPIC_WEATHER_DLQ: freshName('weather-dlq') };
    const s = await startService({
      ...topics,
      WEATHER_POLL_ENABLED: 'true',
      OPEN_METEO_URL: `http://127.0.0.1:${(meteo.address() as { port: number }).port}/v1/forecast`,
      WEATHER_POLL_POINTS: '47.26 11.4, 47.02 11.5',
    });
    const written = await readAll(clients.bus(), topics.SAFEROADS_TOPIC_WEATHER, 2);
    expect(written.map((r) => r.key).sort()).toEqual(['open-meteo:47.0200,11.5000', 'open-meteo:47.2600,11.4000']);
    expect(new URL(urls[0], 'http://x').searchParams.get('latitude')).toBe('47.2600,47.0200');
    expect(await metric(s, 'saferoads_weather_poll_observations_total', { outcome: 'published' })).toBe(2);
    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
  });
});

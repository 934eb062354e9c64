import type { Bus, ConsumedRecord } from '@saferoads/shared/bus';
import { InProcessBus } from '@saferoads/shared/bus';
import type { Detection } from '@saferoads/shared/contracts';
import { createLogger } from '@saferoads/shared/logger';
import { loadNetwork, type Network } from '@saferoads/shared/network';
import { ServiceMetrics, type Readiness } from '@saferoads/shared/service';
import { TOPICS } from '@saferoads/shared/topics';
import { buildApp, type LoopIngestApp } from '../app.js';
import { loopIngestConfig } from '../config.js';
import { afterEach } from 'vitest';

/** Partitions of the test topics: more than one, so keys visibly pick partitions. */
export const PARTITIONS = 4;
export const T0 = 1_773_126_000_000;

let network: Network | undefined;
/** The bundled A13 network, loaded once per test file. */
export function testNetwork(): Network {
  network ??= loadNetwork();
  return network;
}

export function detection(detectorId: string, lane: number, i = 0): Detection {
  return { detectorId, lane, ts: T0 + i * 1_000, speedKmh: 80 + (i % 60), lengthM: 4.5 };
}

export interface TestApp {
  readonly app: LoopIngestApp;
  readonly bus: InProcessBus;
  readonly metrics: ServiceMetrics;
}

/**
 * The gateway over an in-process bus whose topics exist. `env` sets configuration variables as
 * an operator would; `wrap` puts a failing or counting bus in front of the in-process one.
 */
export async function startTestApp(
  opts: { env?: Record<string, string>; wrap?: (bus: InProcessBus) => Bus; ensureTopics?: boolean; readiness?: Readiness } = {},
): Promise<TestApp> {
  const bus = new InProcessBus();
  if (opts.ensureTopics ?? true) {
    await bus.ensureTopics([TOPICS.detections, TOPICS.detectionsDlq].map((name) => ({ name, partitions: PARTITIONS })));
  }
  const metrics = new ServiceMetrics('loop-ingest', { defaultMetrics: false });
  const app = await buildApp({
    bus: opts.wrap ? opts.wrap(bus) : bus,
    network: testNetwork(),
    log: createLogger('loop-ingest', { level: 'silent' }),
    metrics,
    config: loopIngestConfig(opts.env ?? {}),
    ...(opts.readiness && { readiness: opts.readiness }),
  });
  return { app, bus, metrics };
}

/**
 * For a test file: a `start` that builds a test app, each closed after its test (vitest
 * afterEach), so no test leaks a server or a bus into the next.
 */
export function testAppPerTest(): (opts?: Parameters<typeof startTestApp>[0]) => Promise<TestApp> {
  let current: TestApp | undefined;
  afterEach(async () => {
    await current?.app.close();
    current = undefined;
  });
  return async (opts = {}) => {
    current = await startTestApp(opts);
    return current;
  };
}

export interface ReadRecord extends ConsumedRecord {
  readonly partition: number;
}

/** Every record on `topic`, by partition then offset, read through a consumer group of its own. */
export async function readTopic(bus: InProcessBus, topic: string): Promise<ReadRecord[]> {
  const groupId = `test-reader-${Math.random().toString(36).slice(2)}`;
  const total = await bus.lag(groupId, topic);
  if (total === 0) return [];
  const got: ReadRecord[] = [];
  let allRead: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allRead = resolve));
  const consumer = bus.consumer({ groupId, topics: [topic], fromBeginning: true });
  const running = consumer.run(async (batch) => {
    for (const r of batch.records) got.push({ ...r, partition: batch.partition });
    if (got.length >= total) allRead();
  });
  await done;
  await consumer.stop();
  await running;
  return got.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

/**
 * The value of one series in GET /metrics: the sample named `name` whose labels, apart from the
 * registry's `service` label, are exactly `labels`. Undefined when there is no such series.
 */
export async function metricValue(app: LoopIngestApp, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  const want = JSON.stringify(Object.entries(labels).sort());
  for (const line of res.body.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]).filter(([k]) => k !== 'service');
    if (JSON.stringify(got.sort()) === want) return Number(m[3]);
  }
  return undefined;
}

/** The message JSON.parse gives for `text`, which differs between Node versions. */
export function jsonSyntaxError(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`${text} is valid JSON`);
}

import { InProcessBus, type BusRecord } from '@saferoads/shared/bus';
import { createLogger } from '@saferoads/shared/logger';
import { loadNetwork, type Network } from '@saferoads/shared/network';
import { ServiceMetrics } from '@saferoads/shared/service';
import { perTest } from '@saferoads/shared/testing';
import { TOPIC_CONFIG, TOPICS } from '@saferoads/shared/topics';
import { afterAll } from 'vitest';
import { buildApp, type AlertApiApp } from '../app.js';
import { ensureBootstrapKeys } from '../auth/bootstrap.js';
import { alertApiConfig } from '../config.js';
import { openPglite } from '../store/pglite.js';
import { PgAlertStore } from '../store/pg-store.js';
import type { SqlClient } from '../store/sql.js';
import { truncateAll } from './reset.js';

export { metricValue } from '@saferoads/shared/testing';

/** A key per role, created in every test's store. */
export const KEYS = {
  admin: `srk_adminadmin001_${'a'.repeat(43)}`,
  operator: `srk_operatorop001_${'o'.repeat(43)}`,
  viewer: `srk_viewerview001_${'v'.repeat(43)}`,
} as const;
export const JWT_SECRET = 'a-test-secret-of-at-least-32-characters!';
export const auth = (role: keyof typeof KEYS) => ({ authorization: `Bearer ${KEYS[role]}` });

let network: Network | undefined;
export function testNetwork(): Network {
  network ??= loadNetwork();
  return network;
}

let shared: { db: SqlClient; store: PgAlertStore } | null = null;
afterAll(async () => {
  await shared?.store.close();
  shared = null;
});

/** One migrated PGlite per test file (starting one takes a second), emptied before each app. */
async function sharedStore(): Promise<{ db: SqlClient; store: PgAlertStore }> {
  if (!shared) {
    const db = await openPglite();
    shared = { db, store: await PgAlertStore.open(db) };
  }
  return shared;
}

export interface TestApi extends AlertApiApp {
  readonly store: PgAlertStore;
  readonly db: SqlClient;
  readonly serviceMetrics: ServiceMetrics;
  /** An in-process bus with risk.thresholds (compacted), where PUT /v1/thresholds publishes. */
  readonly bus: InProcessBus;
}

export interface TestApiOptions {
  /** Configuration variables, as an operator sets them (JWTs are on with JWT_SECRET unless set). */
  readonly env?: Record<string, string>;
  readonly now?: () => number;
  readonly eventNow?: () => number;
  /** Instead of publishing on `bus` (a bus that fails). */
  readonly thresholdsSink?: (record: BusRecord) => Promise<void>;
}

export async function startTestApi(opts: TestApiOptions = {}): Promise<TestApi> {
  const { db, store } = await sharedStore();
  await truncateAll(db);
  await ensureBootstrapKeys(store, KEYS, 1_000);
  const serviceMetrics = new ServiceMetrics('alert-api', { defaultMetrics: false });
  const config = alertApiConfig({ ALERT_API_JWT_SECRET: JWT_SECRET, ALERT_API_DASHBOARD_DIR: '/nonexistent/dashboard', ...opts.env });
  const bus = new InProcessBus();
  await bus.ensureTopics([{ name: TOPICS.thresholds, partitions: 1, config: { ...TOPIC_CONFIG.thresholds } }]);
  const producer = bus.producer();
  const api = await buildApp({
    store,
    network: testNetwork(),
    log: createLogger('alert-api', { level: 'silent' }),
    metrics: serviceMetrics,
    config,
    segmentsMinRebuildMs: 0,
    thresholdsSink: opts.thresholdsSink ?? ((r) => producer.send(TOPICS.thresholds, [r])),
    ...(opts.now && { now: opts.now }),
    ...(opts.eventNow && { eventNow: opts.eventNow }),
  });
  return { ...api, store, db, serviceMetrics, bus };
}

/** For a test file: a `start` whose apps are closed after each test. */
export function testApiPerTest(): (opts?: TestApiOptions) => Promise<TestApi> {
  const start = perTest(startTestApi, (t: TestApi) => t.app.close().then(() => undefined));
  return (opts = {}) => start(opts);
}

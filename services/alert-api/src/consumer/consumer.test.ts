import { InProcessBus, type BusRecord } from '@saferoads/shared/bus';
import { createLogger } from '@saferoads/shared/logger';
import { ServiceMetrics } from '@saferoads/shared/service';
import { metricValue } from '@saferoads/shared/testing';
import Fastify from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alertApiMetrics } from '../metrics.js';
import { openPglite } from '../store/pglite.js';
import { PgAlertStore } from '../store/pg-store.js';
import type { SqlClient } from '../store/sql.js';
import { StreamHub, type StreamEvent } from '../stream/hub.js';
import { ALERT_A, ALERT_B, MIN, T0, alertEvent, score, stats, weather } from '../testing/fixtures.js';
import { truncateAll } from '../testing/reset.js';
import { startAlertConsumer, type ConsumerTopics } from './consumer.js';

const topics: ConsumerTopics = { scores: 'risk.scores', alerts: 'risk.alerts', stats: 'traffic.stats', weather: 'weather.observations' };
const GROUP = 'alert-api';
const log = createLogger('alert-api', { level: 'silent' });

let db: SqlClient;
let store: PgAlertStore;
beforeAll(async () => {
  db = await openPglite();
  store = await PgAlertStore.open(db);
});
afterAll(() => store.close());
beforeEach(() => truncateAll(db));

const rec = (key: string, value: unknown): BusRecord => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) });

/** The records one scorer run publishes, plus stats and weather, plus two broken records. */
async function publishRun(bus: InProcessBus): Promise<void> {
  const p = bus.producer();
  await p.send(topics.scores, [rec('S-1', score('S-1', 0)), rec('S-1', score('S-1', 1)), rec('S-2', score('S-2', 0)), rec('S-2', '{not json')]);
  await p.send(topics.alerts, [
    rec('S-1', alertEvent(ALERT_A, 'S-1', 0, 'raised', 'high')),
    rec('S-1', alertEvent(ALERT_A, 'S-1', 1, 'escalated', 'severe')),
    rec('S-2', alertEvent(ALERT_B, 'S-2', 0, 'raised', 'high')),
    rec('S-2', { ...alertEvent(ALERT_B, 'S-2', 1, 'escalated', 'severe'), level: 'extreme' }),
  ]);
  await p.send(topics.stats, [rec('S-1', stats('S-1', 0)), rec('S-1', stats('S-1', 0, '10m'))]);
  await p.send(topics.weather, [rec('W-1', weather('W-1', 11, 47, T0))]);
}

async function consumeAll(bus: InProcessBus, metrics: ReturnType<typeof alertApiMetrics>, hub: StreamHub): Promise<void> {
  const c = startAlertConsumer({ bus, store, hub, geo: () => undefined, topics, groupId: GROUP, log, metrics });
  const names = Object.values(topics);
  while ((await Promise.all(names.map((t) => bus.lag(GROUP, t)))).some((n) => n > 0)) await new Promise((r) => setTimeout(r, 10));
  await c.stop();
  await c.done;
}

describe('the alert consumer', () => {
  it('stores each topic, streams what is new, skips broken records; a replay after a restart changes no row and streams nothing', async () => {
    const bus = new InProcessBus();
    await bus.ensureTopics(Object.values(topics).map((name) => ({ name, partitions: 2 })));
    const sm = new ServiceMetrics('alert-api', { defaultMetrics: false });
    const metrics = alertApiMetrics(sm);
    const hub = new StreamHub({ bufferSize: 100, firstId: 1 });
    const streamed: StreamEvent[] = [];
    hub.subscribe((e) => streamed.push(e));

    await publishRun(bus);
    await consumeAll(bus, metrics, hub);
    const ack = await store.acknowledge(ALERT_A, { subject: 'olga', role: 'operator' }, 'on it', T0 + 20 * MIN);
    expect(ack.kind).toBe('ok');

    const rows = async () => ({
      alerts: await db.query('SELECT alert_id, segment_id, status, level, peak_level, last_seq, operator_status, ack_actor FROM alerts ORDER BY alert_id'),
      events: await db.query('SELECT event_id, applied FROM alert_events ORDER BY event_id'),
      audit: await db.query('SELECT target_id, action, actor FROM audit_log ORDER BY id'),
      latest: await db.query('SELECT segment_id, window_end_ms FROM latest_scores ORDER BY segment_id'),
      scores: await db.query<{ n: number }>('SELECT count(*)::int AS n FROM score_history'),
      stats: await db.query<{ n: number }>('SELECT count(*)::int AS n FROM stats_history'),
      weather: await db.query<{ n: number }>('SELECT count(*)::int AS n FROM weather_latest'),
    });
    const want = {
      alerts: [
        { alert_id: ALERT_A, segment_id: 'S-1', status: 'acknowledged', level: 'severe', peak_level: 'severe', last_seq: 1, operator_status: 'acknowledged', ack_actor: 'olga' },
        { alert_id: ALERT_B, segment_id: 'S-2', status: 'open', level: 'high', peak_level: 'high', last_seq: 0, operator_status: 'new', ack_actor: null },
      ],
      events: [
        { event_id: `${ALERT_A}/0`, applied: true },
        { event_id: `${ALERT_A}/1`, applied: true },
        { event_id: `${ALERT_B}/0`, applied: true },
      ],
      audit: [
        { target_id: ALERT_A, action: 'raised', actor: 'risk-scorer' },
        { target_id: ALERT_A, action: 'escalated', actor: 'risk-scorer' },
        { target_id: ALERT_B, action: 'raised', actor: 'risk-scorer' },
        { target_id: ALERT_A, action: 'acknowledged', actor: 'olga' },
      ],
      latest: [
        { segment_id: 'S-1', window_end_ms: T0 + MIN },
        { segment_id: 'S-2', window_end_ms: T0 },
      ],
      scores: [{ n: 3 }],
      stats: [{ n: 1 }],
      weather: [{ n: 1 }],
    };
    expect(await rows()).toEqual(want);
    // Scores by partition order, then the two changed alerts once each.
    expect(streamed.map((e) => e.type).sort()).toEqual(['alert', 'alert', 'score', 'score', 'score']);
    expect(streamed.map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
    const alertA = streamed.find((e) => e.type === 'alert' && e.frame.includes(ALERT_A));
    expect(JSON.parse(alertA?.frame.split('data: ')[1] ?? '')).toMatchObject({ alertId: ALERT_A, level: 'severe', lastSeq: 1, status: 'open' });

    // A restart that reads everything again (the offsets were lost): the same records once more.
    await publishRun(bus);
    await consumeAll(bus, metrics, hub);
    expect(await rows()).toEqual(want);
    expect(streamed).toHaveLength(5);

    const app = Fastify();
    app.get('/metrics', async (_q, reply) => reply.type(sm.contentType).send(await sm.text()));
    const v = (topic: string, outcome: string) => metricValue(app, 'saferoads_alert_api_records_total', { topic, outcome });
    expect([await v('risk.scores', 'applied'), await v('risk.scores', 'duplicate'), await v('risk.scores', 'invalid')]).toEqual([3, 3, 2]);
    expect([await v('risk.alerts', 'applied'), await v('risk.alerts', 'duplicate'), await v('risk.alerts', 'invalid')]).toEqual([3, 3, 2]);
    expect([await v('traffic.stats', 'applied'), await v('traffic.stats', 'ignored'), await v('traffic.stats', 'duplicate')]).toEqual([1, 2, 1]);
    expect([await v('weather.observations', 'applied'), await v('weather.observations', 'duplicate')]).toEqual([1, 1]);
    await app.close();
    await bus.close();
  });
});

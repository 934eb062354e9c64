import { createLogger } from '@saferoads/shared/logger';
import { ServiceMetrics } from '@saferoads/shared/service';
import { freshName, intBus } from '@saferoads/shared/bus/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { alertApiMetrics } from '../metrics.js';
import { openPg } from '../store/pg.js';
import { PgAlertStore } from '../store/pg-store.js';
import { StreamHub } from '../stream/hub.js';
import { ALERT_A, ALERT_B, alertEvent, score } from '../testing/fixtures.js';
import { freshDatabase } from '../testing/int-postgres.js';
import { startAlertConsumer, type ConsumerTopics } from './consumer.js';

const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const d of drops.splice(0)) await d();
});

describe('the alert consumer on Kafka and a PostgreSQL server', () => {
  it('stores what the topics hold; a second group reading them all again changes no row and keeps the acknowledgement', async () => {
    const { url, drop } = await freshDatabase('consumer');
    drops.push(drop);
    const store = await PgAlertStore.open(await openPg({ connectionString: url }));
    const bus = intBus();
    const topics: ConsumerTopics = { scores: freshName('scores'), alerts: freshName('alerts'), stats: freshName('stats'), weather: freshName('weather') };
    try {
      await bus.ensureTopics(Object.values(topics).map((name) => ({ name, partitions: 3, replicationFactor: 1 })));
      const p = bus.producer();
      await p.send(topics.alerts, [
        alertEvent(ALERT_A, 'S-1', 0, 'raised', 'high'),
        alertEvent(ALERT_A, 'S-1', 1, 'escalated', 'severe'),
        alertEvent(ALERT_B, 'S-2', 0, 'raised', 'high'),
      ].map((e) => ({ key: e.segmentId, value: JSON.stringify(e) })));
      await p.send(topics.scores, [score('S-1', 0), score('S-2', 0), score('S-1', 1)].map((s) => ({ key: s.segmentId, value: JSON.stringify(s) })));

      const run = async (groupId: string, until: () => Promise<boolean>) => {
        const hub = new StreamHub({ bufferSize: 100, firstId: 1 });
        const streamed: string[] = [];
        hub.subscribe((e) => streamed.push(e.type));
        const c = startAlertConsumer({ bus, store, hub, geo: () => undefined, topics, groupId, log: createLogger('alert-api', { level: 'silent' }), metrics: alertApiMetrics(new ServiceMetrics('alert-api', { defaultMetrics: false })) });
        const deadline = Date.now() + 30_000;
        while (!(await until())) {
          if (Date.now() > deadline) throw new Error('the consumer did not catch up in 30 s');
          await new Promise((r) => setTimeout(r, 100));
        }
        await c.stop();
        return streamed;
      };
      const rows = () => store.query('SELECT alert_id, status, level, last_seq, ack_actor FROM alerts ORDER BY alert_id');
      const counts = async () => (await store.query('SELECT (SELECT count(*)::int FROM alert_events) AS e, (SELECT count(*)::int FROM audit_log) AS a, (SELECT count(*)::int FROM score_history) AS s'))[0];

      const first = await run(freshName('group'), async () => (await counts()).e === 3 && (await counts()).s === 3);
      expect(first.sort()).toEqual(['alert', 'alert', 'score', 'score', 'score']);
      expect((await store.acknowledge(ALERT_A, { subject: 'olga', role: 'operator' }, null, 1)).kind).toBe('ok');
      const want = [
        { alert_id: ALERT_A, status: 'acknowledged', level: 'severe', last_seq: 1, ack_actor: 'olga' },
        { alert_id: ALERT_B, status: 'open', level: 'high', last_seq: 0, ack_actor: null },
      ];
      expect(await rows()).toEqual(want);
      expect(await counts()).toEqual({ e: 3, a: 4, s: 3 });

      // Another group from the beginning: every record again. Caught up once its offsets reach the ends.
      const group = freshName('replay');
      const ends = async () => Promise.all([topics.alerts, topics.scores].map((t) => bus.endOffsets(t)));
      const [alertEnds, scoreEnds] = await ends();
      const again = await run(group, async () => {
        const [a, s] = await Promise.all([bus.committedOffsets(group, topics.alerts), bus.committedOffsets(group, topics.scores)]);
        return alertEnds.every((e, i) => e === 0 || a[i] === e) && scoreEnds.every((e, i) => e === 0 || s[i] === e);
      });
      expect(again).toEqual([]);
      expect(await rows()).toEqual(want);
      expect(await counts()).toEqual({ e: 3, a: 4, s: 3 });
    } finally {
      await bus.close();
      await store.close();
    }
  });
});

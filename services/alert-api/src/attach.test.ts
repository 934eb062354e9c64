import { SqlNotificationLog } from '@saferoads/alert-exchange';
import { InProcessBus } from '@saferoads/shared/bus';
import { createLogger } from '@saferoads/shared/logger';
import { ServiceMetrics } from '@saferoads/shared/service';
import { TOPICS } from '@saferoads/shared/topics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAP_XSD, xmllint } from '../../alert-exchange/src/testing/xmllint.js';
import { startWebhookServer, type WebhookServer } from '../../alert-exchange/src/testing/webhook-server.js';
import { attachAlertApi, webhookRoutes } from './attach.js';
import { alertApiConfig } from './config.js';
import { openPglite } from './store/pglite.js';
import { PgAlertStore } from './store/pg-store.js';
import { ALERT_A, alertEvent } from './testing/fixtures.js';
import { KEYS, testNetwork } from './testing/harness.js';

let hooks: WebhookServer;
beforeAll(async () => {
  hooks = await startWebhookServer(() => ({ status: 200 }));
});
afterAll(() => hooks.close());

const topics = [TOPICS.scores, TOPICS.alerts, TOPICS.stats, TOPICS.weather];

describe('attachAlertApi: the API on a bus and a store, with notifications and exports', () => {
  it('notifies each alert event once although the topic is replayed, and exports the open alert as CAP and DATEX II', async () => {
    const bus = new InProcessBus();
    await bus.ensureTopics(topics.map((name) => ({ name, partitions: 2 })));
    const store = await PgAlertStore.open(await openPglite());
    const config = alertApiConfig({
      SAFEROADS_API_BOOTSTRAP_VIEWER_KEY: KEYS.viewer,
      ALERT_API_DASHBOARD_DIR: '/nonexistent',
      ALERT_API_WEBHOOKS: JSON.stringify([{ id: 'tmc', url: `${hooks.url}/tmc`, minLevel: 'high' }]),
    });
    const api = await attachAlertApi({
      bus,
      store,
      network: testNetwork(),
      log: createLogger('alert-api', { level: 'silent' }),
      metrics: new ServiceMetrics('alert-api', { defaultMetrics: false }),
      config,
      notificationLog: new SqlNotificationLog((t, p) => store.query(t, p)),
    });
    try {
      const events = [alertEvent(ALERT_A, 'A13-S-001', 0, 'raised', 'high'), alertEvent(ALERT_A, 'A13-S-001', 1, 'escalated', 'severe')];
      const send = () => bus.producer().send(TOPICS.alerts, events.map((e) => ({ key: e.segmentId, value: JSON.stringify(e) })));
      const settle = async () => {
        while ((await bus.lag(config.groupId, TOPICS.alerts)) > 0) await new Promise((r) => setTimeout(r, 10));
        await api.notifier?.idle();
      };
      await send();
      await settle();
      await send(); // a replay
      await settle();
      expect(hooks.requestsTo('/tmc').map((r) => (r.body as { text: string }).text.length > 0)).toEqual([true, true]);
      expect(await store.query('SELECT event_id, status FROM alert_notifications ORDER BY event_id')).toEqual([
        { event_id: `${ALERT_A}/0`, status: 'delivered' },
        { event_id: `${ALERT_A}/1`, status: 'delivered' },
      ]);

      const get = (url: string) => api.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${KEYS.viewer}` } });
      const feed = await get('/v1/exports/cap');
      expect([feed.statusCode, feed.headers['content-type']]).toEqual([200, 'application/atom+xml; charset=utf-8']);
      expect(feed.body).toContain(ALERT_A);
      const one = await get(`/v1/exports/cap/${ALERT_A}`);
      expect(one.headers['content-type']).toBe('application/cap+xml; charset=utf-8');
      const lint = xmllint(one.body, CAP_XSD);
      expect(lint.ok, lint.output).toBe(true);
      const datex = await get('/v1/exports/datex');
      expect([datex.statusCode, datex.body.includes('SituationPublication'), datex.body.includes(ALERT_A)]).toEqual([200, true, true]);
      expect((await get('/v1/exports/cap/2d7b5e40-3f6c-8081-9c9d-3e4f5a6b7c8d')).statusCode).toBe(404);
    } finally {
      await api.close();
      await bus.close();
      await store.close();
    }
  });

  it('refuses webhook routes that are not a JSON array, naming the variable', () => {
    expect(() => webhookRoutes('{"id":1}')).toThrow('ALERT_API_WEBHOOKS: must be a JSON array of routes');
    expect(() => webhookRoutes('[{')).toThrow(/ALERT_API_WEBHOOKS: not JSON/);
    expect(webhookRoutes(undefined)).toEqual([]);
  });
});

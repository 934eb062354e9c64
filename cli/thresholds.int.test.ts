/**
 * Thresholds end to end on the real parts: an admin's PUT on the alert API (its store on the
 * PostgreSQL server, its publisher on the Kafka broker) reaches a risk scorer that reads the
 * thresholds topic, which scores and alerts with them from their minute on, exactly as the pure
 * pipeline does with the same version. Fresh topics, groups and database.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { alertApiConfig, attachAlertApi, openPg, PgAlertStore } from '@saferoads/alert-api';
import { ThresholdsSchedule, alertConfig, scoresConfig } from '@saferoads/risk-scorer';
import { riskTopicSpecs, startRiskRunner, type RiskTopics } from '@saferoads/risk-scorer/bus';
import { freshName, intClientsPerTest, intLogger, waitFor } from '@saferoads/shared/bus/testing';
import type { RiskAlert, RiskScore, TrafficStats } from '@saferoads/shared/contracts';
import { ServiceMetrics } from '@saferoads/shared/service';
import { freshDatabase } from '../services/alert-api/src/testing/int-postgres.js';
import {
  byEventId,
  byScoreKey,
  scenarioAlerts,
  scenarioAssembler,
  scenarioInput,
  scenarioModel,
  scenarioNetwork,
  scenarioOffline,
  scenarioRain,
  scenarioScores,
  scenarioSpec,
  scenarioThresholdsRecord,
} from '../services/risk-scorer/src/testing/scenario.js';
import { MINUTE_MS, T0 } from '../services/risk-scorer/src/testing/stats.js';

const ADMIN_KEY = `srk_adminint0001_${'a'.repeat(43)}`;
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const d of drops.splice(0)) await d();
});

describe('thresholds from the alert API to the risk scorer, on Kafka and PostgreSQL', () => {
  const clients = intClientsPerTest();

  it('a PUT reaches the scorer, which applies the version from its minute on', async () => {
    const { url, drop } = await freshDatabase('thresholds');
    drops.push(drop);
    const store = await PgAlertStore.open(await openPg({ connectionString: url, maxConnections: 4 }));
    const topics: Required<RiskTopics> = {
      stats: freshName('th-stats'),
      statsDlq: freshName('th-stats-dlq'),
      relay: freshName('th-relay'),
      weather: freshName('th-weather'),
      scores: freshName('th-scores'),
      alerts: freshName('th-alerts'),
      checkpoints: freshName('th-ckpt'),
      scoresShadow: freshName('th-shadow'),
      thresholds: freshName('th-thresholds'),
      thresholdsDlq: freshName('th-thresholds-dlq'),
    };
    const bus = clients.bus({ retries: 10 });
    await bus.ensureTopics([{ name: topics.stats, partitions: 3 }, { name: topics.weather, partitions: 1 }, ...riskTopicSpecs(3, topics)]);
    await bus.producer().send(topics.weather, [{ key: scenarioRain.stationId, value: JSON.stringify(scenarioRain), timestamp: scenarioRain.ts }]);

    // The API: its consumer on topics of its own (empty), its thresholds on the scorer's topic; the event clock at the scenario's start.
    const own = { scores: freshName('th-api-scores'), alerts: freshName('th-api-alerts'), stats: freshName('th-api-stats'), weather: freshName('th-api-weather') };
    await bus.ensureTopics(Object.values(own).map((name) => ({ name, partitions: 1 })));
    const config = alertApiConfig({ SAFEROADS_API_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY, ALERT_API_GROUP_ID: freshName('th-api'), ALERT_API_DASHBOARD_DIR: '/nonexistent' });
    const api = await attachAlertApi({ bus: clients.bus(), store, network: scenarioNetwork, log: intLogger(), metrics: new ServiceMetrics('alert-api', { defaultMetrics: false }), config, topics: own, thresholdsTopic: topics.thresholds, eventNow: () => T0 });
    try {
      const res = await api.app.inject({
        method: 'PUT',
        url: '/v1/thresholds',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json', 'if-match': '"0"' },
        payload: JSON.stringify({ thresholds: scenarioThresholdsRecord.thresholds, note: 'fewer high minutes', effectiveFromMs: scenarioThresholdsRecord.effectiveFromMs }),
      });
      expect([res.statusCode, res.json().version, res.json().publishedAtMs === null]).toEqual([200, 1, false]);

      // The scorer: started after the PUT, it finds the version in the topic before it scores.
      const out = { scores: [] as RiskScore[], alerts: [] as RiskAlert[] };
      for (const [topic, into] of [
        [topics.scores, out.scores],
        [topics.alerts, out.alerts],
      ] as const) {
        const reader = clients.consumer(bus.consumer({ groupId: freshName('th-reader'), topics: [topic], fromBeginning: true }));
        void reader.run(async (b) => void into.push(...b.records.map((r) => JSON.parse(r.value) as RiskScore & RiskAlert)));
      }
      const records: TrafficStats[] = scenarioInput(9);
      await bus.producer().send(topics.stats, records.map((r) => ({ key: r.segmentId, value: JSON.stringify(r), timestamp: r.windowEndMs })));
      const runner = await startRiskRunner({
        bus: clients.bus({ retries: 10 }),
        network: scenarioNetwork,
        spec: scenarioSpec,
        model: scenarioModel(),
        log: intLogger(),
        assembler: scenarioAssembler,
        topics,
        groupId: freshName('th-scorer'),
        wallClock: () => 0,
        scores: scenarioScores,
        alerts: scenarioAlerts,
      });
      expect(runner.thresholds.latestVersion).toBe(1);
      await waitFor(() => out.scores.length >= 72 && out.alerts.length >= 4, 60_000, `72 scores and 4 alerts (have ${out.scores.length}, ${out.alerts.length})`, runner.done);
      await runner.stop();

      const schedule = new ThresholdsSchedule({ levelBasis: 'relativeRisk', levels: scoresConfig(scenarioScores).levels, alerts: alertConfig(scenarioAlerts) });
      schedule.apply(scenarioThresholdsRecord);
      const want = await scenarioOffline(records, scenarioModel(), schedule);
      expect(byScoreKey(out.scores)).toEqual(byScoreKey(want.scores));
      expect(byEventId(out.alerts)).toEqual(byEventId(want.alerts));
      // Version 1 resolves S6 after one clear minute: minute 8, where the defaults would wait for 9.
      expect(out.alerts.map((a) => `${a.segmentId} ${a.type} ${(a.windowEndMs - T0) / MINUTE_MS}`).sort()).toEqual(['S3 raised 3', 'S3 resolved 6', 'S6 raised 4', 'S6 resolved 8']);
      expect(runner.thresholdsFeed?.counters()).toEqual({ applied: 1, superseded: 0, invalid: 0, restarts: 0 });
    } finally {
      await api.close();
      await store.close();
    }
  });
});

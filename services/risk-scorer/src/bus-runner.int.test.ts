/**
 * The risk scorer against the real broker: the relay and the scorer as they run in a service,
 * with Kafka transactions, explicit relay partitions and read_committed readers. What comes out
 * must be exactly what the pure pipeline computes from the same records, also when a second
 * runner takes over from the first one's checkpoints.
 */
import { describe, expect, it } from 'vitest';
import type { ConsumedRecord, KafkaBus } from '@saferoads/shared/bus';
import { freshName, intClientsPerTest, intLogger, waitFor } from '@saferoads/shared/bus/testing';
import type { RiskAlert, RiskScore, TrafficStats } from '@saferoads/shared/contracts';
import { startRiskRunner, type RiskRunner } from './bus-runner.js';
import { riskTopicSpecs, type RiskTopics } from './bus/topics.js';
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
} from './testing/scenario.js';

const PARTITIONS = 3;

describe('risk scorer exactly once on Kafka', () => {
  const clients = intClientsPerTest();

  async function setup(label: string) {
    const topics: RiskTopics = {
      stats: freshName(`${label}-stats`),
      statsDlq: freshName(`${label}-stats-dlq`),
      relay: freshName(`${label}-relay`),
      weather: freshName(`${label}-weather`),
      scores: freshName(`${label}-scores`),
      alerts: freshName(`${label}-alerts`),
      checkpoints: freshName(`${label}-ckpt`),
    };
    const bus: KafkaBus = clients.bus({ retries: 10 });
    await bus.ensureTopics([{ name: topics.stats, partitions: PARTITIONS }, { name: topics.weather, partitions: 2 }, ...riskTopicSpecs(PARTITIONS, topics)]);
    await bus.producer().send(topics.weather, [{ key: scenarioRain.stationId, value: JSON.stringify(scenarioRain), timestamp: scenarioRain.ts }]);
    const out = { scores: [] as ConsumedRecord[], alerts: [] as ConsumedRecord[] };
    for (const [topic, into] of [
      [topics.scores, out.scores],
      [topics.alerts, out.alerts],
    ] as const) {
      const reader = clients.consumer(bus.consumer({ groupId: freshName(`${label}-reader`), topics: [topic], fromBeginning: true }));
      void reader.run(async (b) => void into.push(...b.records));
    }
    const send = (records: readonly TrafficStats[]) => bus.producer().send(topics.stats, records.map((r) => ({ key: r.segmentId, value: JSON.stringify(r), timestamp: r.windowEndMs })));
    const groupId = freshName(`${label}-group`);
    const start = (): Promise<RiskRunner> =>
      startRiskRunner({
        bus: clients.bus({ retries: 10 }),
        network: scenarioNetwork,
        spec: scenarioSpec,
        model: scenarioModel(),
        log: intLogger(),
        assembler: scenarioAssembler,
        topics,
        groupId,
        wallClock: () => 0,
        scores: scenarioScores,
        alerts: scenarioAlerts,
      });
    return { out, send, start };
  }

  const parse = <T>(rs: readonly ConsumedRecord[]) => rs.map((r) => JSON.parse(r.value) as T);

  it('publishes exactly what the pure pipeline computes, keyed by segment', async () => {
    const { out, send, start } = await setup('risk');
    const records = scenarioInput(9);
    await send(records);
    const runner = await start();
    await waitFor(() => out.scores.length >= 72 && out.alerts.length >= 4, 60_000, `72 scores and 4 alerts (have ${out.scores.length}, ${out.alerts.length})`, runner.done);
    await runner.stop();
    const want = await scenarioOffline(records);
    expect(out.scores.every((r) => r.key === (JSON.parse(r.value) as RiskScore).segmentId)).toBe(true);
    expect(out.scores).toHaveLength(want.scores.length);
    expect(byScoreKey(parse<RiskScore>(out.scores))).toEqual(byScoreKey(want.scores));
    expect(byEventId(parse<RiskAlert>(out.alerts))).toEqual(byEventId(want.alerts));
  });

  it('a second runner carries on from the first one\'s checkpoints: every score and alert once', async () => {
    const { out, send, start } = await setup('risk-resume');
    const records = scenarioInput(9);
    await send(records.slice(0, 70));
    const first = await start();
    await waitFor(() => out.scores.length >= 32, 60_000, `the first four minutes' scores (have ${out.scores.length})`, first.done);
    await first.stop();
    await send(records.slice(70));
    const second = await start();
    await waitFor(() => out.scores.length >= 72, 60_000, `72 scores (have ${out.scores.length})`, second.done);
    await second.stop();
    // Anything doubled would come in the moments after.
    await new Promise((r) => setTimeout(r, 2_000));
    const want = await scenarioOffline(records);
    const keys = parse<RiskScore>(out.scores).map((s) => `${s.segmentId}@${s.windowEndMs}`);
    expect(keys.length).toBe(new Set(keys).size);
    expect(byScoreKey(parse<RiskScore>(out.scores))).toEqual(byScoreKey(want.scores));
    expect(out.alerts).toHaveLength(want.alerts.length);
    expect(byEventId(parse<RiskAlert>(out.alerts))).toEqual(byEventId(want.alerts));
  });
});

/**
 * Exact results through crashes, against the real broker: the traffic-stats service runs as its
 * own process over an hour of simulated detections (with duplicates, reordering, late and invalid
 * records) while it is killed with SIGKILL at random moments, or while the broker restarts. Every
 * traffic.stats record (and every late and dead-letter record) must then be exactly what an
 * uninterrupted run of the same input gives: none missing, none doubled, every value equal.
 */
import { describe, expect, it } from 'vitest';
import { InProcessBus, partitionFor, type BusRecord, type ConsumedRecord, type KafkaBus } from '@saferoads/shared/bus';
import { freshName, intBrokerPort, intBrokers, intClientsPerTest, intLogger, waitFor } from '@saferoads/shared/bus/testing';
import type { TrafficStats } from '@saferoads/shared/contracts';
import { createLogger } from '@saferoads/shared/logger';
import { DEFAULT_NETWORK_PATH, loadNetwork } from '@saferoads/shared/network';
import { topicEnvName } from '@saferoads/shared/topics';
import { LoopSimulator } from '@saferoads/loop-sensor';
import { Writable } from 'node:stream';
import { brokerEnv, runKafkaScript } from '../../../test/kafka-broker.js';
import { startStatsRunner, statsTopicSpecs, type StatsTopics } from './bus-runner.js';
import { StatsServiceProcess } from './testing/service-process.js';

const PARTITIONS = 4;
const IDLE_NEVER_MS = 3_600_000;
const network = loadNetwork(DEFAULT_NETWORK_PATH);
const silent = createLogger('test', { destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const START = Date.UTC(2026, 4, 12, 5, 30); // a Tuesday, 07:30 local: the morning peak

/** A simulated hour on the bundled network, as the gateway would key it, with faults and a few unreadable records. */
function simulatedHour(): BusRecord[] {
  const sim = new LoopSimulator({ network, seed: 20261122, startMs: START, minutes: 60, faults: { duplicates: 0.01, reorderS: 4, late: 0.003, lateDelayS: 90 } });
  const out: BusRecord[] = [];
  for (const batch of sim.batches()) {
    for (const d of batch.detections) {
      const segmentId = network.detectors.get(d.detectorId)?.segmentId ?? null;
      out.push({ key: segmentId, value: JSON.stringify(d), timestamp: d.ts });
      if (out.length % 5_000 === 0) out.push({ key: segmentId, value: `{"detectorId": "${d.detectorId}", "lane": ` });
    }
  }
  // One last vehicle per partition, three minutes on: it moves every partition's watermark past
  // the hour, so every window of the hour closes by event time (no wall-clock idleness involved).
  const endMs = START + 63 * 60_000;
  for (let p = 0; p < PARTITIONS; p++) {
    const seg = network.segments.find((s) => partitionFor(s.id, PARTITIONS) === p);
    if (!seg) continue;
    const det = seg.props.detectors[0];
    out.push({ key: seg.id, value: JSON.stringify({ detectorId: det.detectorId, lane: det.lane, ts: endMs, speedKmh: 88, lengthM: 4.4 }), timestamp: endMs });
  }
  return out;
}

interface Outputs {
  stats: ConsumedRecord[];
  late: ConsumedRecord[];
  dlq: ConsumedRecord[];
}

/** What an uninterrupted run gives: the same runner code on the in-process bus, partitioned as Kafka partitions. */
async function uninterrupted(input: readonly BusRecord[], topics: StatsTopics): Promise<Outputs> {
  const bus = new InProcessBus();
  await bus.ensureTopics(statsTopicSpecs(PARTITIONS, topics));
  await bus.producer().send(topics.detections, input);
  const runner = await startStatsRunner({ bus, network, log: silent, topics, config: { idleTimeoutMs: IDLE_NEVER_MS } });
  const end = await bus.endOffsets(topics.detections);
  while (end.some((e, p) => e > 0 && (runner.positions().get(p) ?? 0) < e)) await new Promise((r) => setTimeout(r, 10));
  await runner.stop();
  const read = async (topic: string) => {
    const got: ConsumedRecord[] = [];
    const c = bus.consumer({ groupId: `reader-${topic}`, topics: [topic], fromBeginning: true });
    const done = c.run(async (b) => void got.push(...b.records));
    while ((await bus.lag(`reader-${topic}`, topic)) > 0) await new Promise((r) => setTimeout(r, 5));
    await c.stop();
    await done;
    return got;
  };
  const out = { stats: await read(topics.stats), late: await read(topics.late), dlq: await read(topics.dlq) };
  await bus.close();
  return out;
}

const statsKey = (r: ConsumedRecord) => {
  const s = JSON.parse(r.value) as TrafficStats;
  return `${s.segmentId}|${s.window}|${s.windowEndMs}`;
};
const duplicates = (keys: readonly string[]) => keys.filter((k, i) => keys.indexOf(k) !== i);

/** Deterministic "random" moments, so a failure can be replayed. */
function* moments(seed: number, fromMs: number, toMs: number): Generator<number> {
  let x = seed >>> 0;
  for (;;) {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    yield fromMs + (x / 2 ** 32) * (toMs - fromMs);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('traffic-stats exactly once on Kafka', () => {
  const clients = intClientsPerTest();
  const input = simulatedHour();

  /** Fresh topics and group, the service's environment, and readers (read_committed) of its outputs. */
  async function setup(label: string) {
    const topics: StatsTopics = {
      detections: freshName(`${label}-det`),
      stats: freshName(`${label}-stats`),
      late: freshName(`${label}-late`),
      dlq: freshName(`${label}-dlq`),
      checkpoints: freshName(`${label}-ckpt`),
    };
    const bus: KafkaBus = clients.bus({ retries: 10 });
    await bus.ensureTopics(statsTopicSpecs(PARTITIONS, topics));
    const service = new StatsServiceProcess(
      {
        KAFKA_BROKERS: intBrokers().join(','),
        KAFKA_CLIENT_ID: `int-${label}`,
        KAFKA_ALLOW_TOPIC_CREATION: 'true',
        KAFKA_TOPIC_PARTITIONS: String(PARTITIONS),
        KAFKA_REPLICATION_FACTOR: '1',
        // A killed member holds its partitions until its session times out: short, for quick restarts.
        KAFKA_SESSION_TIMEOUT_MS: '2500',
        KAFKA_HEARTBEAT_INTERVAL_MS: '300',
        KAFKA_FETCH_MAX_WAIT_MS: '100',
        KAFKA_RETRIES: '8',
        STATS_GROUP_ID: freshName(`${label}-group`),
        STATS_IDLE_TIMEOUT_MS: String(IDLE_NEVER_MS),
        STATS_COMMIT_INTERVAL_MS: '1000',
        PORT: '0',
        LOG_LEVEL: 'info',
        [topicEnvName('detections')]: topics.detections,
        [topicEnvName('stats')]: topics.stats,
        [topicEnvName('detectionsLate')]: topics.late,
        [topicEnvName('detectionsDlq')]: topics.dlq,
        [topicEnvName('statsCheckpoints')]: topics.checkpoints,
      },
      `exactly-once-${label}`,
    );
    const outputs: Outputs = { stats: [], late: [], dlq: [] };
    for (const [topic, into] of [
      [topics.stats, outputs.stats],
      [topics.late, outputs.late],
      [topics.dlq, outputs.dlq],
    ] as const) {
      const reader = clients.consumer(bus.consumer({ groupId: freshName(`${label}-reader`), topics: [topic], fromBeginning: true }));
      void reader.run(async (b) => void into.push(...b.records));
    }
    return { topics, bus, service, outputs };
  }

  /**
   * The input as the broker holds it, partition by partition in offset order: the reference run
   * reads exactly that (a producer retry across a broker restart may have written a record twice).
   */
  async function inputAsStored(bus: KafkaBus, topic: string): Promise<BusRecord[]> {
    const end = await bus.endOffsets(topic);
    const total = end.reduce((a, b) => a + b, 0);
    const byPartition: BusRecord[][] = end.map(() => []);
    const reader = clients.consumer(bus.consumer({ groupId: freshName('input-reader'), topics: [topic], fromBeginning: true }));
    const done = reader.run(async (b) => {
      for (const r of b.records) byPartition[b.partition].push({ key: r.key, value: r.value, partition: b.partition });
    });
    await waitFor(() => byPartition.reduce((n, p) => n + p.length, 0) >= total, 60_000, `the ${total} input records`, done);
    await reader.stop();
    expect(byPartition.map((p) => p.length)).toEqual(end);
    return byPartition.flat();
  }

  async function expectExactly(bus: KafkaBus, outputs: Outputs, topics: StatsTopics) {
    const stored = await inputAsStored(bus, topics.detections);
    expect(stored.length).toBeGreaterThanOrEqual(input.length);
    const expected = await uninterrupted(stored, topics);
    // Wait for the last window of the hour, then a little longer for any record that should not come.
    await waitFor(() => outputs.stats.length >= expected.stats.length, 120_000, `${expected.stats.length} stats records (have ${outputs.stats.length})`);
    // Each output has its own reader, and after a broker restart one may reconnect later than
    // another: wait for the late and dead-letter readers too before comparing what they hold.
    await waitFor(() => outputs.late.length >= expected.late.length, 60_000, `${expected.late.length} late records (have ${outputs.late.length})`);
    await waitFor(() => outputs.dlq.length >= expected.dlq.length, 60_000, `${expected.dlq.length} dead letters (have ${outputs.dlq.length})`);
    await sleep(3_000);
    const keys = outputs.stats.map(statsKey);
    expect(duplicates(keys)).toEqual([]);
    expect(outputs.stats.length).toBe(expected.stats.length);
    expect(new Map(outputs.stats.map((r) => [statsKey(r), r.value]))).toEqual(new Map(expected.stats.map((r) => [statsKey(r), r.value])));
    expect(outputs.stats.every((r) => r.key === (JSON.parse(r.value) as TrafficStats).segmentId)).toBe(true);
    expect(outputs.late.map((r) => r.value).sort()).toEqual(expected.late.map((r) => r.value).sort());
    expect(outputs.dlq.map((r) => r.value).sort()).toEqual(expected.dlq.map((r) => r.value).sort());
    // The input exercised what it should: late records, dead letters and 10-minute windows.
    expect(expected.late.length).toBeGreaterThan(0);
    expect(expected.dlq.length).toBeGreaterThanOrEqual(Math.floor((input.length - PARTITIONS) / 5_001));
    // Windows from the first detection's minute (05:30) to the last the closing vehicle closes
    // (06:32, its watermark at 06:32:55 minus the 10 s grace): 62 one-minute windows and 53
    // ten-minute ones (ending 05:40 to 06:32) per segment.
    expect(keys.filter((k) => k.includes('|1m|')).length).toBe(network.segments.length * 62);
    expect(keys.filter((k) => k.includes('|10m|')).length).toBe(network.segments.length * 53);
  }

  it('killed with SIGKILL at 6 random moments while an hour of detections flows in', async () => {
    const { topics, bus, service, outputs } = await setup('kill');
    const producer = bus.producer();
    let fed = 0;
    const feeding = (async () => {
      // About 40 s of input at some 2,000 records per second: the kills fall in the middle of it.
      for (; fed < input.length; fed += 1_000) {
        await producer.send(topics.detections, input.slice(fed, fed + 1_000));
        await sleep(500);
      }
      fed = input.length;
    })();
    const when = moments(Number(process.env.EXACTLY_ONCE_SEED ?? 7), 2_500, 7_500);
    const kills: { afterMs: number; fed: number; statsSeen: number }[] = [];
    service.start();
    for (let k = 0; k < 6; k++) {
      const afterMs = Math.round(when.next().value as number);
      await sleep(afterMs);
      await service.kill();
      kills.push({ afterMs, fed, statsSeen: outputs.stats.length });
      service.start();
    }
    await feeding;
    intLogger().info({ kills }, 'exactly-once kill test: kill moments');
    await expectExactly(bus, outputs, topics);
    expect(await service.stop()).toBe(0);
    // The kills fell while input and results were flowing, not all before or after.
    expect(kills.filter((k) => k.fed > 0 && k.fed < input.length).length).toBeGreaterThanOrEqual(4);
    expect(new Set(kills.map((k) => k.statsSeen)).size).toBeGreaterThanOrEqual(3);
  }, 300_000);

  it('scales out: two instances share the partitions, and when one leaves the other takes its partitions over exactly', async () => {
    const { topics, bus, outputs } = await setup('scale');
    const group = freshName('scale-group');
    const instance = (name: string) =>
      startStatsRunner({
        bus: clients.bus({ clientId: `int-${name}`, sessionTimeoutMs: 3_000 }),
        network,
        log: silent,
        topics,
        groupId: group,
        config: { idleTimeoutMs: IDLE_NEVER_MS },
        commitIntervalMs: 500,
      });
    const a = await instance('a');
    const b = await instance('b');
    const producer = bus.producer();
    const half = Math.floor(input.length / 2);
    for (let fed = 0; fed < half; fed += 5_000) await producer.send(topics.detections, input.slice(fed, fed + 5_000));
    // Both members own partitions: the group split them.
    await waitFor(() => a.positions().size > 0 && b.positions().size > 0 && a.positions().size + b.positions().size === PARTITIONS, 60_000, 'both instances to own partitions', a.done);
    expect([...a.positions().keys(), ...b.positions().keys()].sort()).toEqual([0, 1, 2, 3]);
    await waitFor(() => outputs.stats.length > 500, 60_000, 'the first results');
    // b leaves mid-stream (a graceful stop: it commits what it has); a takes everything over.
    await b.stop();
    for (let fed = half; fed < input.length; fed += 5_000) await producer.send(topics.detections, input.slice(fed, fed + 5_000));
    await waitFor(() => a.positions().size === PARTITIONS, 60_000, 'a to own every partition', a.done);
    await expectExactly(bus, outputs, topics);
    await a.stop();
  }, 300_000);

  it.skipIf(intBrokerPort() === 0)('carries on exactly through a broker restart in the middle of the hour', async () => {
    const { topics, bus, service, outputs } = await setup('broker');
    const producer = bus.producer();
    service.start();
    // Restarted whenever it exits, as docker compose's restart policy does.
    let supervising = true;
    const supervisor = (async () => {
      while (supervising) {
        if (!service.running) service.start();
        await sleep(500);
      }
    })();
    const half = Math.floor(input.length / 2);
    for (let fed = 0; fed < half; fed += 5_000) await producer.send(topics.detections, input.slice(fed, fed + 5_000));
    await waitFor(() => outputs.stats.length > 500, 60_000, 'the first results');
    const env = brokerEnv(intBrokerPort());
    const stop = await runKafkaScript('stop.sh', [], env, 60_000);
    expect(stop.code, stop.output).toBe(0);
    await sleep(3_000);
    const start = await runKafkaScript('start.sh', [], env, 120_000);
    expect(start.code, start.output).toBe(0);
    for (let fed = half; fed < input.length; fed += 5_000) await producer.send(topics.detections, input.slice(fed, fed + 5_000));
    await expectExactly(bus, outputs, topics);
    supervising = false;
    await supervisor;
    expect(await service.stop()).toBe(0);
  }, 300_000);
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { partitionFor, type ConsumedRecord } from '@saferoads/shared/bus';
import { TOPICS } from '@saferoads/shared/topics';
import { describe, expect, it } from 'vitest';
import { freshName, intBrokers, intClientsPerTest, intLogger, waitFor } from '../../../../services/shared/src/bus/kafka-int-fixture.js';
import { feed } from './feed.js';
import { kafkaTargetConfig, openKafkaSink } from './kafka-sink.js';
import { a13, from, linesBySegment, runCli, simulateA13, valuesByKey } from './test-support.js';

const PARTITIONS = 3;

describe('the kafka:// target on a real broker', () => {
  const clients = intClientsPerTest();

  it('produces minutes of simulation keyed by segment; read back, count, keys, order and timestamps are exact', async () => {
    const bus = clients.bus();
    const topic = freshName('sim-detections');
    // CreateTime, so the record timestamps read back are the sink's (Saferoads' own topics use LogAppendTime).
    await bus.ensureTopics([{ name: topic, partitions: PARTITIONS, config: { 'message.timestamp.type': 'CreateTime' } }]);
    const batches = simulateA13(4);
    const total = batches.reduce((n, b) => n + b.detections.length, 0);

    // The environment of the test run is not the target's: only the URL's brokers count here.
    const sink = await openKafkaSink({ config: kafkaTargetConfig(intBrokers(), {}), topic, network: a13(), batchSize: 1000, logger: intLogger() });
    const result = await feed(from(batches), sink);
    expect(result.error).toBeUndefined();
    expect(result.stats.sent).toBe(total);

    // acks=-1: once the sink is closed every record is on the broker, each exactly once.
    expect((await bus.endOffsets(topic)).reduce((a, b) => a + b, 0)).toBe(total);

    const got: (ConsumedRecord & { partition: number })[] = [];
    const c = bus.consumer({ groupId: freshName('sim-reader'), topics: [topic], fromBeginning: true });
    clients.consumer(c);
    const run = c.run(async (batch) => void got.push(...batch.records.map((r) => ({ ...r, partition: batch.partition }))));
    await waitFor(() => got.length >= total, 30_000, `${total} records`, run);
    got.sort((a, b) => a.partition - b.partition || a.offset - b.offset);

    expect(got.length).toBe(total);
    expect(valuesByKey(got)).toEqual(linesBySegment(batches));
    expect(got.filter((r) => r.partition !== partitionFor(r.key!, PARTITIONS))).toEqual([]);
    expect(got.filter((r) => r.timestamp !== (JSON.parse(r.value) as { ts: number }).ts)).toEqual([]);
  });

  it('fails before simulating when the topic does not exist, naming it', async () => {
    const topic = freshName('missing');
    const brokers = intBrokers();
    await expect(openKafkaSink({ config: kafkaTargetConfig(brokers, {}), topic, network: a13(), batchSize: 1000, logger: intLogger() })).rejects.toThrow(
      `cannot produce to ${topic} on kafka://${brokers.join(',')}: unknown topic ${topic}: create it with ensureTopics first`,
    );
  });

  it('saferoads simulate --target kafka:// adds exactly what --out would hold to loop.detections', async () => {
    const bus = clients.bus();
    // The broker is this run's own; with KAFKA_INT_BROKERS the topic may already hold records, so count the increase.
    await bus.ensureTopics([{ name: TOPICS.detections, partitions: PARTITIONS }]);
    const before = (await bus.endOffsets(TOPICS.detections)).reduce((a, b) => a + b, 0);
    const run = ['--seed', '7', '--minutes', '2', '--start', '2026-03-10T06:50:00Z', '--no-progress'];
    const dir = mkdtempSync(join(tmpdir(), 'simulate-kafka-'));
    expect(await runCli([...run, '--out', join(dir, 'd.ndjson')])).toEqual({ code: 0, err: '' });
    const lines = readFileSync(join(dir, 'd.ndjson'), 'utf8').trimEnd().split('\n').length;
    rmSync(dir, { recursive: true });

    const r = await runCli([...run, '--target', `kafka://${intBrokers().join(',')}`]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(new RegExp(`^simulate: ${lines} records sent to kafka://\\S+ topic loop\\.detections in \\d+\\.\\d\\d s \\(\\d+ records/s, \\d+ requests, 0 retries\\)\\n$`));
    expect((await bus.endOffsets(TOPICS.detections)).reduce((a, b) => a + b, 0) - before).toBe(lines);
  });
});

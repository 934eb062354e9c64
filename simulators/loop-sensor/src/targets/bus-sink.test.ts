import { InProcessBus, partitionFor, type BusProducer, type BusRecord } from '@saferoads/shared/bus';
import { SaferoadsError } from '@saferoads/shared/errors';
import { describe, expect, it } from 'vitest';
import { readTopic } from '../../../../services/loop-ingest/src/testing/harness.js';
import { smallNetwork } from '../test-support/fixtures.js';
import { BusSink } from './bus-sink.js';
import { feed } from './feed.js';
import { a13, from, linesBySegment, simulateA13, valuesByKey } from './test-support.js';

const TOPIC = 'sim.detections';

/** Counts sends and their sizes on the way to the in-process bus. */
function counting(p: BusProducer, sizes: number[]): BusProducer {
  return { send: (topic, records) => (sizes.push(records.length), p.send(topic, records)), close: () => p.close() };
}

describe('BusSink', () => {
  const batches = simulateA13(2);
  const total = batches.reduce((n, b) => n + b.detections.length, 0);

  it('writes the gateway\'s records: key segmentId, contract JSON, timestamp ts, in simulated order per key', async () => {
    const bus = new InProcessBus();
    await bus.ensureTopics([{ name: TOPIC, partitions: 3 }]);
    const sizes: number[] = [];
    let closed = false;
    const sink = new BusSink({
      name: 'test',
      producer: counting(bus.producer(), sizes),
      topic: TOPIC,
      network: a13(),
      batchSize: 1000,
      onClose: async () => void (closed = true),
    });
    const result = await feed(from(batches), sink);

    expect(result.error).toBeUndefined();
    expect(closed).toBe(true);
    expect(result.stats).toEqual({ sent: total, requests: sizes.length, retries: 0 });
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1000);
    const got = await readTopic(bus, TOPIC);
    expect(got.length).toBe(total);
    expect(valuesByKey(got)).toEqual(linesBySegment(batches));
    expect(got.filter((r) => r.partition !== partitionFor(r.key!, 3))).toEqual([]);
    expect(got.filter((r) => r.timestamp !== (JSON.parse(r.value) as { ts: number }).ts)).toEqual([]);
  });

  it('fails with the producer\'s reason once its own retries are spent', async () => {
    const failing: BusProducer = {
      send: async (topic, records: readonly BusRecord[]) => {
        throw new SaferoadsError('BUS_UNAVAILABLE', `sending ${records.length} records to ${topic}: There is no leader for this topic-partition`, { retriable: true });
      },
      close: async () => undefined,
    };
    const sink = new BusSink({ name: 'kafka://k:9092', producer: failing, topic: TOPIC, network: a13(), batchSize: 5000 });
    const result = await feed(from(batches), sink);
    const n = batches[0].detections.length;
    expect(result.error?.message).toBe(
      `kafka://k:9092 topic ${TOPIC}: could not write ${n} records: sending ${n} records to ${TOPIC}: There is no leader for this topic-partition`,
    );
    expect(result.stats.sent).toBe(0);
  });

  it('refuses a detector the network does not have, naming it', async () => {
    const bus = new InProcessBus();
    await bus.ensureTopics([{ name: TOPIC, partitions: 1 }]);
    const sink = new BusSink({ name: 'test', producer: bus.producer(), topic: TOPIC, network: a13(), batchSize: 5000 });
    const foreign = simulateA13(0.1, smallNetwork());
    const result = await feed(from(foreign), sink);
    expect(result.error?.message).toBe(
      `detector "${foreign[0].detections[0].detectorId}" is not in the road network "${a13().name}", so its key for ${TOPIC} is unknown`,
    );
  });
});

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { freshName, intClientsPerTest, waitFor } from './kafka-int-fixture.js';
import { partitionFor } from './partitioner.js';
import type { ConsumedBatch } from './port.js';

describe('KafkaBus producer and topics', () => {
  const clients = intClientsPerTest();
  const bus = clients.bus;

  it('has every record on its partitionFor partition, acknowledged, when send resolves; timestamps and headers arrive as sent', async () => {
    const b = bus();
    const topic = freshName('records');
    // CreateTime: the record timestamps are the producer's (topics Saferoads creates use LogAppendTime).
    await b.ensureTopics([{ name: topic, partitions: 3, config: { 'message.timestamp.type': 'CreateTime' } }]);
    const keys = ['A13-N-001', 'A13-N-002', 'A13-S-001', 'A13-S-002', 'A22-N-017'];
    const sent = keys.map((key, i) => ({ key, value: `{"n":${i}}`, timestamp: 1_767_225_600_000 + i, headers: { source: 'loop-7', seq: String(i) } }));
    await b.producer().send(topic, sent);

    // acks=-1: the high watermark already counts them, each on the partition partitionFor names.
    const expected = [0, 0, 0];
    for (const k of keys) expected[partitionFor(k, 3)]++;
    expect(await b.endOffsets(topic)).toEqual(expected);

    const got: ConsumedBatch[] = [];
    const c = b.consumer({ groupId: freshName('records'), topics: [topic], fromBeginning: true });
    clients.consumer(c);
    const run = c.run(async (batch) => void got.push(batch));
    await waitFor(() => got.reduce((n, x) => n + x.records.length, 0) === sent.length, 20_000, 'the records', run);
    const received = got.flatMap((x) => x.records.map((r) => ({ partition: x.partition, ...r })));
    received.sort((x, y) => (x.timestamp ?? 0) - (y.timestamp ?? 0));
    const offsetOnPartition = (i: number) => keys.slice(0, i).filter((k) => partitionFor(k, 3) === partitionFor(keys[i], 3)).length;
    expect(received).toEqual(sent.map((r, i) => ({ ...r, partition: partitionFor(r.key, 3), offset: offsetOnPartition(i) })));
  });

  it('reads the end offsets of topics it has just created: every partition at 0, each time', async () => {
    // The traffic-stats service reads its checkpoint topic's end right after creating it; kafkajs
    // can still hold that topic's metadata without partitions then (see topicOffsets in kafka.ts).
    const b = bus();
    for (let i = 0; i < 8; i++) {
      const topic = freshName('fresh-end');
      await b.ensureTopics([{ name: topic, partitions: 3 }]);
      expect(await b.endOffsets(topic)).toEqual([0, 0, 0]);
    }
  });

  it('creates missing topics only when allowed, naming them otherwise, and never changes an existing one', async () => {
    const strict = bus({ allowTopicCreation: false });
    const [t1, t2] = [freshName('strict'), freshName('strict')];
    await expect(strict.ensureTopics([{ name: t1, partitions: 2 }, { name: t2, partitions: 2 }])).rejects.toThrow(
      `topics missing on the Kafka cluster: ${t1}, ${t2}. Create them, or allow Saferoads to (allowTopicCreation, KAFKA_ALLOW_TOPIC_CREATION=true)`,
    );
    await expect(strict.partitionsOf(t1)).rejects.toThrow(`unknown topic ${t1}: create it with ensureTopics first`);

    let logged = '';
    const logger = createLogger('int', { level: 'warn', destination: new Writable({ write: (chunk: Buffer, _e, cb) => ((logged += chunk.toString()), cb()) }) });
    const open = bus({ allowTopicCreation: true }, logger);
    await open.ensureTopics([{ name: t1, partitions: 5 }]);
    expect(await open.partitionsOf(t1)).toBe(5);
    await open.ensureTopics([{ name: t1, partitions: 2 }]);
    expect(await open.partitionsOf(t1)).toBe(5);
    expect(logged).toContain('"topic":"' + t1 + '","wanted":2,"actual":5,"msg":"topic exists with another partition count; using it as it is"');
    await expect(strict.ensureTopics([{ name: t1, partitions: 5 }])).resolves.toBeUndefined();
  });

  it('never logs the SASL password, even at debug level when authentication fails', async () => {
    const password = 'Pa55-w0rd-never-logged';
    let logged = '';
    const logger = createLogger('int', { level: 'debug', destination: new Writable({ write: (chunk: Buffer, _e, cb) => ((logged += chunk.toString()), cb()) }) });
    // The test broker has no SASL listener: the handshake fails, and kafkajs logs about it.
    const b = bus({ sasl: { mechanism: 'plain', username: 'saferoads', password }, retries: 0 }, logger);
    await expect(b.ensureTopics([{ name: freshName('sasl'), partitions: 1 }])).rejects.toMatchObject({ name: 'SaferoadsError', code: 'BUS_UNAVAILABLE' });
    expect(logged).toContain('Request SaslHandshake');
    expect(logged).toContain('"password":"[redacted]"');
    expect(logged).not.toContain(password);
  });
});

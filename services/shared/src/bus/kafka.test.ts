import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConfigError, SaferoadsError } from '../errors.js';
import { createLogger } from '../logger.js';
import { KafkaBus } from './kafka.js';

/** A port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

const silent = createLogger('test', { level: 'silent' });

describe('KafkaBus without a broker', () => {
  it('fails fast at construction on a bad configuration', () => {
    expect(() => new KafkaBus({ brokers: ['nohost'], topicPartitions: 0 }, { logger: silent })).toThrow(ConfigError);
    expect(() => new KafkaBus({ brokers: ['nohost'], topicPartitions: 0 }, { logger: silent })).toThrow(
      'invalid kafka configuration: brokers[0]: expected host:port with a port from 1 to 65535, got "nohost"; topicPartitions: must be an integer from 1 to 10000, got 0',
    );
  });

  it("builds topic specs with the deployment's partitions and replication factor", () => {
    expect(new KafkaBus({ brokers: ['k1:9092'], topicPartitions: 12, replicationFactor: 3 }, { logger: silent }).topicSpecs(['loop.detections', 'traffic.stats'])).toEqual([
      { name: 'loop.detections', partitions: 12, replicationFactor: 3 },
      { name: 'traffic.stats', partitions: 12, replicationFactor: 3 },
    ]);
    expect(new KafkaBus({ brokers: ['k1:9092'] }, { logger: silent }).topicSpecs(['x'])).toEqual([{ name: 'x', partitions: 6 }]);
  });

  it('reports an unreachable broker as a retriable BUS_UNAVAILABLE with the kafkajs error as cause', async () => {
    const port = await closedPort();
    const bus = new KafkaBus({ brokers: [`127.0.0.1:${port}`], retries: 0 }, { logger: silent });
    const err = await bus
      .producer()
      .send('t', [{ key: 'k', value: 'v' }])
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(SaferoadsError);
    expect(err).toMatchObject({ code: 'BUS_UNAVAILABLE', retriable: true, message: `connecting the Kafka producer: Connection error: connect ECONNREFUSED 127.0.0.1:${port}` });
    // kafkajs gave up after its retries; what it gave up on, a refused connection, may pass.
    expect((err as Error).cause).toMatchObject({ name: 'KafkaJSNumberOfRetriesExceeded', retriable: false, cause: { name: 'KafkaJSConnectionError', retriable: true } });

    const consumer = bus.consumer({ groupId: 'g', topics: ['t'] });
    await expect(consumer.run(async () => undefined)).rejects.toMatchObject({ code: 'BUS_UNAVAILABLE', retriable: true });
    await expect(consumer.run(async () => undefined)).rejects.toThrow('consumer of group g: run() was already called');
    await bus.close();
  });

  it('refuses bad topic specs before it connects', async () => {
    const bus = new KafkaBus({ brokers: ['127.0.0.1:9'] }, { logger: silent });
    await expect(bus.ensureTopics([{ name: 'x', partitions: 0 }])).rejects.toThrow('topic x: partitions must be a positive integer, got 0');
    await bus.close();
  });

  it('needs begin() before a transactional send, sendOffsets, commit or abort', async () => {
    const bus = new KafkaBus({ brokers: ['127.0.0.1:9'] }, { logger: silent });
    const tx = bus.transactionalProducer('stats-0');
    await expect(tx.send('t', [{ key: 'k', value: 'v' }])).rejects.toThrow('transactional producer stats-0: send() needs an open transaction: call begin() first');
    await expect(tx.sendOffsets('g', [])).rejects.toThrow('transactional producer stats-0: sendOffsets() needs an open transaction: call begin() first');
    await expect(tx.commit()).rejects.toMatchObject({ code: 'STATE_INVARIANT' });
    await expect(tx.abort()).rejects.toMatchObject({ code: 'STATE_INVARIANT' });
    expect(tx.inTransaction).toBe(false);
    await bus.close();
  });

  it('refuses new clients, and sends on its producers, once closed', async () => {
    const bus = new KafkaBus({ brokers: ['127.0.0.1:9'] }, { logger: silent });
    const producer = bus.producer();
    await bus.close();
    await expect(producer.send('t', [{ key: 'k', value: 'v' }])).rejects.toMatchObject({ code: 'BUS_CLOSED', message: 'the Kafka producer is closed' });
    expect(() => bus.producer()).toThrow('the Kafka bus is closed');
    expect(() => bus.consumer({ groupId: 'g', topics: ['t'] })).toThrow('the Kafka bus is closed');
    expect(() => bus.transactionalProducer('x')).toThrow('the Kafka bus is closed');
  });
});

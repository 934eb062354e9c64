import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { fromKafkaMessage, toKafkaMessage, toTopicOffsets } from './kafka-records.js';

const consumed = (m: Partial<KafkaMessage>): KafkaMessage =>
  ({ key: null, value: null, timestamp: '0', attributes: 0, offset: '0', headers: {}, ...m }) as KafkaMessage;

describe('Kafka record mapping', () => {
  it('sends key, value, timestamp (as kafkajs wants it, a string) and headers', () => {
    expect(toKafkaMessage({ key: 'A13-N-001', value: '{}', timestamp: 1_767_225_600_000, headers: { source: 'loop-7' } })).toEqual({
      key: 'A13-N-001',
      value: '{}',
      timestamp: '1767225600000',
      headers: { source: 'loop-7' },
    });
    expect(toKafkaMessage({ key: null, value: 'v' })).toEqual({ key: null, value: 'v' });
  });

  it('reads a consumed record: numbers from strings, the last of repeated headers, a tombstone as empty', () => {
    expect(
      fromKafkaMessage(
        consumed({ key: Buffer.from('A13-N-001'), value: Buffer.from('{"n":1}'), timestamp: '1767225600000', offset: '42', headers: { seq: [Buffer.from('1'), Buffer.from('2')], source: Buffer.from('loop-7'), none: undefined } }),
      ),
    ).toEqual({ key: 'A13-N-001', value: '{"n":1}', timestamp: 1_767_225_600_000, offset: 42, headers: { seq: '2', source: 'loop-7' } });
    expect(fromKafkaMessage(consumed({ offset: '7', timestamp: '5' }))).toEqual({ key: null, value: '', timestamp: 5, offset: 7 });
  });

  it('groups offsets to commit by topic', () => {
    expect(
      toTopicOffsets([
        { topic: 'a', partition: 0, offset: 10 },
        { topic: 'b', partition: 1, offset: 3 },
        { topic: 'a', partition: 2, offset: 7 },
      ]),
    ).toEqual([
      { topic: 'a', partitions: [{ partition: 0, offset: '10' }, { partition: 2, offset: '7' }] },
      { topic: 'b', partitions: [{ partition: 1, offset: '3' }] },
    ]);
  });
});

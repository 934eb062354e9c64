import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { groupMessagesPerPartition, type GroupMessagesInput } from './group-messages.js';

interface Msg {
  readonly key: string;
  readonly partition?: number;
}
type Grouping = (input: GroupMessagesInput<Msg, number>) => Record<number, Msg[]>;

/** kafkajs's own function, compiled from its file (the module cache holds the replacement). */
function kafkajsOriginal(): Grouping {
  const file = createRequire(import.meta.url).resolve('kafkajs/src/producer/groupMessagesPerPartition.js');
  const module = { exports: undefined as unknown };
  new Function('module', readFileSync(file, 'utf8'))(module);
  return module.exports as Grouping;
}

const partitionerOf = (n: number) => ({ message }: { message: Msg }) => message.partition ?? [...message.key].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % n, 0);

describe('groupMessagesPerPartition', () => {
  it('groups exactly as kafkajs 2.2.4 does: each partition its messages in send order, none without metadata', () => {
    const original = kafkajsOriginal();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.record({ key: fc.string({ maxLength: 4 }), partition: fc.option(fc.nat({ max: 5 }), { nil: undefined }) }), { maxLength: 60 }),
        (partitions, messages) => {
          const input = { topic: 't', partitionMetadata: Array.from({ length: partitions }, (_, i) => i), messages, partitioner: partitionerOf(Math.max(partitions, 1)) };
          const ours = groupMessagesPerPartition(input);
          expect(ours).toEqual(original(input));
          expect(Object.keys(ours)).toEqual(Object.keys(original(input)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it.each([
    ['no partition metadata', 0, [{ key: 'a' }], {}],
    ['no messages', 2, [], {}],
    ['messages kept in order per partition', 2, [{ key: 'x', partition: 1 }, { key: 'y', partition: 0 }, { key: 'z', partition: 1 }], { 0: [{ key: 'y', partition: 0 }], 1: [{ key: 'x', partition: 1 }, { key: 'z', partition: 1 }] }],
  ] as [string, number, Msg[], Record<number, Msg[]>][])('%s', (_name, partitions, messages, expected) => {
    expect(groupMessagesPerPartition({ topic: 't', partitionMetadata: Array.from({ length: partitions }, (_, i) => i), messages, partitioner: partitionerOf(Math.max(partitions, 1)) })).toEqual(expected);
  });
});

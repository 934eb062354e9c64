// kafkajs, loaded with its producer's per-partition grouping replaced by a linear one (see
// group-messages.ts). kafkajs captures the function when its producer module loads, so the
// replacement goes into Node's module cache before kafkajs is first required; every value
// import of kafkajs in the project comes from here (type imports may name 'kafkajs').
import Module, { createRequire } from 'node:module';
import type * as KafkaJS from 'kafkajs';
import { groupMessagesPerPartition } from './group-messages.js';

const require = createRequire(import.meta.url);
const GROUPING = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js');
if (require.cache[GROUPING] === undefined) {
  const replacement = new Module(GROUPING);
  replacement.filename = GROUPING;
  replacement.loaded = true;
  replacement.exports = groupMessagesPerPartition;
  require.cache[GROUPING] = replacement;
}
const kafkajs = require('kafkajs') as typeof KafkaJS;

/** Whether kafkajs' producer uses the linear grouping (false only if something loaded kafkajs before this module). */
export const linearGrouping: boolean = require.cache[GROUPING]?.exports === groupMessagesPerPartition;

export const Kafka = kafkajs.Kafka;
export type Kafka = KafkaJS.Kafka;
export const Partitioners = kafkajs.Partitioners;
export const logLevel = kafkajs.logLevel;
export type logLevel = KafkaJS.logLevel;

// kafkajs, loaded with two of its internals replaced: its producer's per-partition grouping by a
// linear one (see group-messages.ts), and its record batches' CRC-32C, a byte-at-a-time table
// loop in JavaScript (2-4 % of a busy gateway's or stats service's CPU), by @node-rs/crc32's
// native one (hardware CRC instructions). kafkajs captures both functions when its modules load,
// so the replacements go into Node's module cache before kafkajs is first required; every value
// import of kafkajs in the project comes from here (type imports may name 'kafkajs').
import Module, { createRequire } from 'node:module';
import { crc32c } from '@node-rs/crc32';
import type * as KafkaJS from 'kafkajs';
import { groupMessagesPerPartition } from './group-messages.js';

const require = createRequire(import.meta.url);

/** Puts `exports` in the module cache as the module at `path`, unless it is loaded already; whether ours is there. */
function preload(path: string, exports: unknown): boolean {
  if (require.cache[path] === undefined) {
    const replacement = new Module(path);
    replacement.filename = path;
    replacement.loaded = true;
    replacement.exports = exports;
    require.cache[path] = replacement;
  }
  return require.cache[path]?.exports === exports;
}

/** kafkajs' crc32C/index.js contract: a Buffer's CRC-32C as an unsigned 32-bit number. */
export const recordBatchCrc = (buffer: Buffer): number => crc32c(buffer) >>> 0;

/** Whether kafkajs' producer uses the linear grouping (false only if something loaded kafkajs before this module). */
export const linearGrouping: boolean = preload(require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js'), groupMessagesPerPartition);
/** Whether kafkajs' record batches use the native CRC-32C (the same condition). */
export const nativeCrc: boolean = preload(require.resolve('kafkajs/src/protocol/recordBatch/crc32C/index.js'), recordBatchCrc);

const kafkajs = require('kafkajs') as typeof KafkaJS;

export const Kafka = kafkajs.Kafka;
export type Kafka = KafkaJS.Kafka;
export const Partitioners = kafkajs.Partitioners;
export const logLevel = kafkajs.logLevel;
export type logLevel = KafkaJS.logLevel;

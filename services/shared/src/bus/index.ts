export type * from './port.js';
export * from './partitioner.js';
export * from './in-process.js';
export * from './kafka.js';
export * from './kafka-config.js';
export * from './kafka-env.js';
export { KafkaTransactionalProducer } from './kafka-producer.js';
export type { KafkaConsumerOptions, KafkaIsolation } from './kafka-consumer.js';
export type { NextOffset } from './kafka-records.js';

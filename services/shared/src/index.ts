export * from './contracts/index.js';
export * from './errors.js';
export * from './retry.js';
export * from './io/ndjson.js';
export * from './network/index.js';
export * from './bus/index.js';
export * from './topics.js';
export * from './logger.js';

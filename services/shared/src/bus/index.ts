export type * from './port.js';
export * from './partitioner.js';
export * from './in-process.js';

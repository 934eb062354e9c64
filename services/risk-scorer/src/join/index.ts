export * from './config.js';
export * from './types.js';
export * from './topology.js';
export * from './stats-join.js';

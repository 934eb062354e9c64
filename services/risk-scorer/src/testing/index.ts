export * from './network.js';
export * from './stats.js';

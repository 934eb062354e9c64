export * from './contracts/index.js';
export * from './errors.js';
export * from './retry.js';

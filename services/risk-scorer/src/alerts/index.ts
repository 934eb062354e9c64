export * from './config.js';
export * from './types.js';
export * from './alert-id.js';
export * from './alert-machine.js';

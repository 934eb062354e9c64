export * from './bootstrap.js';
export * from './metrics.js';
export * from './score-stream.js';

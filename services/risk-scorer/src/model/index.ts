export * from './scorer.js';
export * from './function-scorer.js';

export * from './join/index.js';
export * from './features/index.js';
export * from './scores/index.js';
export * from './model/index.js';
export * from './alerts/index.js';
export * from './pipeline.js';
export * from './thresholds/index.js';

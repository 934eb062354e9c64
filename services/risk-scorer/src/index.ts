export * from './join/index.js';
export * from './features/index.js';

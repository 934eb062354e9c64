export * from './config.js';
export * from './stage.js';
export * from './pane.js';
export * from './histogram.js';
export * from './gaps.js';
export * from './seq-window.js';
export type * from './segment-context.js';
export * from './offline.js';
export * from './bus-runner.js';

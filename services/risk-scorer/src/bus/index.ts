export * from './topics.js';
export * from './encode.js';
export * from './checkpoint.js';
export * from './relay.js';
export * from '../bus-runner.js';
export * from '../thresholds/feed.js';

export * from './config.js';
export * from './shape/index.js';
export * from './calendar/index.js';
export * from './weather/index.js';
export * from './features/index.js';
// The weather feed (services/context/src/feed/) is exported here too once it lands.

export * from './config.js';
export * from './shape/index.js';
export * from './calendar/index.js';
export * from './weather/index.js';
export * from './features/index.js';
export * from './feed/index.js';

export * from './config.js';
export * from './weather/index.js';

export * from './join/index.js';

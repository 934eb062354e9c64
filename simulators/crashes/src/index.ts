export * from './hazard.js';
export * from './draw.js';
export * from './labels.js';

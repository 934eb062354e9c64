export * from './geometry.js';
export * from './ramps.js';
export * from './road-shape.js';

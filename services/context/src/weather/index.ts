export * from './table.js';
export * from './interpolate.js';
export * from './freezing.js';
export * from './point-stations.js';

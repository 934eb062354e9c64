export * from './levels.js';
export * from './config.js';
export * from './groups.js';
export * from './occlusion.js';
export * from './score-minute.js';

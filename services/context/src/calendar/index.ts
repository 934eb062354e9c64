export * from './zone-clock.js';
export * from './holidays.js';
export * from './sun.js';

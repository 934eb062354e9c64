export * from './validate.js';
export * from './detection.js';
export * from './weather.js';
export * from './segment.js';
export * from './stats.js';
export * from './decode.js';
export * from './stats-codec.js';
export * from './detection-decoder.js';

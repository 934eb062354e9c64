export * from './spec/types.js';
export * from './spec/stats-fields.js';
export * from './spec/parse.js';
export * from './spec/fingerprint.js';
export * from './row/builder.js';
export * from './model/metadata.js';

export * from './scorer.js';
export * from './function-scorer.js';
export * from './metadata.js';
export * from './check.js';
export * from './errors.js';
export * from './onnx-scorer.js';
export * from './model-slot.js';

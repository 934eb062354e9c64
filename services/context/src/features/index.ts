export * from './names.js';
export * from './assembler.js';

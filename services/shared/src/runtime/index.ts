export * from './windows.js';
export * from './watermark.js';
export * from './aggregator.js';
export * from './pane-windows.js';
export * from './snapshot.js';

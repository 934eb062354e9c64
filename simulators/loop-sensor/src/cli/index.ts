export { OptionError, checkIncidents, parseIncident, parseIsoTime, parseSimulateOptions } from './options.js';
export type { RawSimulateOptions, SimulateConfig } from './options.js';
export { writeBatches } from './write.js';
export { stderrProgress, type Progress } from './progress.js';

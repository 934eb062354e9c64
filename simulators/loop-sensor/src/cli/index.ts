export { OptionError, checkIncidents, int, num, parseDelivery, parseIncident, parseIsoTime, parseSimulateOptions } from './options.js';
export type { Delivery, RawDelivery, RawSimulateOptions, SimulateConfig } from './options.js';
export { openOutput } from './output.js';
export { writeBatches } from './write.js';
export { stderrProgress, type Progress } from './progress.js';
export { destinationOf, openSink, type Destination, type SinkSettings } from './sink.js';
export { deliveryError, DELIVERY_EXIT, exitCodeOf, interruptOnSigint, INTERRUPTED_EXIT, usageError, USAGE_EXIT, warner } from './run.js';

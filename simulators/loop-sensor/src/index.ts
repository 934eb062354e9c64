export { LoopSimulator, DEFAULT_STEP_MS } from './simulator.js';
export { pace, systemClock, type PaceClock } from './pace.js';
export { batchText, detectionLine } from './ndjson.js';
export { DEFAULT_LATE_DELAY_S } from './faults/plan.js';
export type { DetectionBatch, FaultOptions, Incident, LoopSimulatorOptions, WeatherFactors, WeatherInput } from './types.js';

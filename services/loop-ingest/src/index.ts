export { buildApp, listen, type BuildAppOptions, type LoopIngestApp } from './app.js';
export { LoopIngestConfigSchema, loopIngestConfig, type LoopIngestConfig } from './config.js';
export { ingestMetrics, type IngestMetrics } from './metrics.js';
export { REJECT_REASONS, type RejectReason } from './batch/check.js';
export type { BatchReport, RecordError } from '@saferoads/shared/ingest';

import { ingestMetrics as gatewayMetrics, type IngestMetrics } from '@saferoads/shared/ingest';
import type { ServiceMetrics } from '@saferoads/shared/service';
import { REJECT_REASONS } from './batch/check.js';

export type { IngestMetrics } from '@saferoads/shared/ingest';

/** The gateway's metrics, `saferoads_loop_ingest_*` (docs/operations.md). */
export function ingestMetrics(m: ServiceMetrics): IngestMetrics {
  return gatewayMetrics(m, { prefix: 'loop_ingest', route: 'POST /v1/detections', records: 'Detections', reasons: REJECT_REASONS });
}

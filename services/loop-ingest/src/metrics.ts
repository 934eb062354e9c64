import type { Counter, Histogram, ServiceMetrics } from '@saferoads/shared/service';
import { REJECT_REASONS } from './batch/check.js';

export interface IngestMetrics {
  readonly batches: Counter<'status'>;
  readonly received: Counter;
  readonly accepted: Counter;
  readonly rejected: Counter<'reason'>;
  readonly produceSeconds: Histogram<'topic' | 'outcome'>;
}

/** Produce latencies, from an in-process append to a Kafka write acknowledged by every in-sync replica. */
const PRODUCE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function ingestMetrics(m: ServiceMetrics): IngestMetrics {
  const rejected = m.counter({
    name: 'loop_ingest_records_rejected_total',
    help: 'Detections refused and sent to the dead-letter topic, by reason (schema, unknown_detector, lane_mismatch, malformed)',
    labelNames: ['reason'],
  });
  // Every reason from zero, so rate() and alerts see a series before its first rejection.
  for (const reason of REJECT_REASONS) rejected.inc({ reason }, 0);
  return {
    batches: m.counter({ name: 'loop_ingest_batches_total', help: 'POST /v1/detections requests, by response status', labelNames: ['status'] }),
    received: m.counter({ name: 'loop_ingest_records_received_total', help: 'Records read from batch bodies, before validation' }),
    accepted: m.counter({ name: 'loop_ingest_records_accepted_total', help: 'Detections written to the bus and reported accepted' }),
    rejected,
    produceSeconds: m.histogram({
      name: 'loop_ingest_produce_duration_seconds',
      help: 'Time for the bus to acknowledge one batch on one topic, by outcome (ok, error)',
      labelNames: ['topic', 'outcome'],
      buckets: PRODUCE_BUCKETS,
    }),
  };
}

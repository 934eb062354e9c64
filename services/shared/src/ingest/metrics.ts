import type { Counter, Histogram, ServiceMetrics } from '../service/metrics.js';

/** What every batch gateway counts; names start with the gateway's prefix (`loop_ingest_...`). */
export interface IngestMetrics {
  readonly batches: Counter<'status'>;
  readonly received: Counter;
  readonly accepted: Counter;
  readonly rejected: Counter<'reason'>;
  readonly produceSeconds: Histogram<'topic' | 'outcome'>;
}

export interface IngestMetricsOptions {
  /** Metric name prefix without `saferoads_`, e.g. `loop_ingest`. */
  readonly prefix: string;
  /** The route, for help texts: `POST /v1/detections`. */
  readonly route: string;
  /** The records, capitalised, for help texts: `Detections`. */
  readonly records: string;
  /** Every reason code of the rejected-records counter. */
  readonly reasons: readonly string[];
}

/** Produce latencies, from an in-process append to a Kafka write acknowledged by every in-sync replica. */
const PRODUCE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function ingestMetrics(m: ServiceMetrics, o: IngestMetricsOptions): IngestMetrics {
  const rejected = m.counter({
    name: `${o.prefix}_records_rejected_total`,
    help: `${o.records} refused and sent to the dead-letter topic, by reason (${o.reasons.join(', ')})`,
    labelNames: ['reason'],
  });
  // Every reason from zero, so rate() and alerts see a series before its first rejection.
  for (const reason of o.reasons) rejected.inc({ reason }, 0);
  return {
    batches: m.counter({ name: `${o.prefix}_batches_total`, help: `${o.route} requests, by response status`, labelNames: ['status'] }),
    received: m.counter({ name: `${o.prefix}_records_received_total`, help: 'Records read from batch bodies, before validation' }),
    accepted: m.counter({ name: `${o.prefix}_records_accepted_total`, help: `${o.records} written to the bus and reported accepted` }),
    rejected,
    produceSeconds: m.histogram({
      name: `${o.prefix}_produce_duration_seconds`,
      help: 'Time for the bus to acknowledge one batch on one topic, by outcome (ok, error)',
      labelNames: ['topic', 'outcome'],
      buckets: PRODUCE_BUCKETS,
    }),
  };
}

/** Counts a batch's refused records by reason, once the bus has them. */
export function countRejected(metrics: IngestMetrics, rejected: readonly { readonly reason: string }[]): void {
  const byReason = new Map<string, number>();
  for (const r of rejected) byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + 1);
  for (const [reason, n] of byReason) metrics.rejected.inc({ reason }, n);
}

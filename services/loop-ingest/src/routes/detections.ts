import type { BusProducer } from '@saferoads/shared/bus';
import { batchRoute, type BatchLimits, type IngestMetrics, type RecordNoun } from '@saferoads/shared/ingest';
import type { Network } from '@saferoads/shared/network';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { checkBatch } from '../batch/check.js';
import { detectionRecords, type RecordPacking } from '../batch/records.js';

export interface DetectionsRouteOptions {
  readonly producer: BusProducer;
  readonly network: Network;
  readonly metrics: IngestMetrics;
  readonly config: BatchLimits & RecordPacking;
  readonly topics: { readonly detections: string; readonly dlq: string };
  /** The `stage: ingest` child of the service's logger. */
  readonly log: FastifyBaseLogger;
}

const DETECTIONS: RecordNoun = { one: 'detection', many: 'detections' };

/**
 * POST /v1/detections: a loop controller's batch, as a JSON array or NDJSON. Each record is
 * checked against the contract and the road network; the valid ones go to loop.detections keyed
 * by segment, the others to the dead-letter topic with their reasons (the shared batch route).
 */
export async function detectionsRoute(app: FastifyInstance, opts: DetectionsRouteOptions): Promise<void> {
  await batchRoute(app, {
    url: '/v1/detections',
    noun: DETECTIONS,
    producer: opts.producer,
    metrics: opts.metrics,
    limits: opts.config,
    topics: { records: opts.topics.detections, dlq: opts.topics.dlq },
    log: opts.log,
    check: (entries) => checkBatch(entries, opts.network),
    toRecords: (accepted) => detectionRecords(accepted, opts.config),
  });
}

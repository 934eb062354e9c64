import type { BusProducer } from '@saferoads/shared/bus';
import { batchRoute, type BatchLimits, type IngestMetrics, type RecordNoun } from '@saferoads/shared/ingest';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { checkObservations, observationRecord } from '../check.js';

export const OBSERVATIONS_PATH = '/v1/weather/observations';
export const OBSERVATIONS: RecordNoun = { one: 'weather observation', many: 'weather observations' };

export interface ObservationsRouteOptions {
  readonly producer: BusProducer;
  readonly metrics: IngestMetrics;
  readonly limits: BatchLimits;
  readonly maxFutureMs: number;
  readonly now: () => number;
  readonly topics: { readonly observations: string; readonly dlq: string };
  /** The `stage: ingest` child of the service's logger. */
  readonly log: FastifyBaseLogger;
}

/**
 * POST /v1/weather/observations: station readings, as a JSON array or NDJSON. Each is checked on
 * its own; the valid ones go to weather.observations keyed by stationId, the others to the
 * dead-letter topic with their reasons, and the client hears back once the bus has both.
 */
export async function observationsRoute(app: FastifyInstance, opts: ObservationsRouteOptions): Promise<void> {
  await batchRoute(app, {
    url: OBSERVATIONS_PATH,
    noun: OBSERVATIONS,
    producer: opts.producer,
    metrics: opts.metrics,
    limits: opts.limits,
    topics: { records: opts.topics.observations, dlq: opts.topics.dlq },
    log: opts.log,
    check: (entries) => checkObservations(entries, { nowMs: opts.now(), maxFutureMs: opts.maxFutureMs }),
    toRecords: (accepted) => accepted.map(observationRecord),
  });
}

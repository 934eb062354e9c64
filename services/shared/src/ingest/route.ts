import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { BusProducer, BusRecord } from '../bus/port.js';
import { sendError } from '../service/error-handler.js';
import { HttpError } from '../service/http-errors.js';
import type { CheckedBatch } from './checked.js';
import { deadLetterRecord } from './dead-letter.js';
import { busUnavailable, formatOf, MEDIA_TYPES, translateFastifyError, unsupportedEncoding, type RecordNoun } from './http-errors.js';
import { countRejected, type IngestMetrics } from './metrics.js';
import { parseBatch, type BatchEntry } from './parse.js';
import { publishBatch } from './publish.js';
import { batchReport } from './report.js';

/** The limits of a batch route (a gateway's configuration: see gatewayConfigProperties). */
export interface BatchLimits {
  readonly bodyLimitBytes: number;
  readonly maxRecords: number;
  readonly maxErrorsReported: number;
  readonly retryAfterS: number;
}

export interface BatchRouteOptions<A> {
  /** `/v1/detections` */
  readonly url: string;
  readonly noun: RecordNoun;
  readonly producer: BusProducer;
  readonly metrics: IngestMetrics;
  readonly limits: BatchLimits;
  /** Where accepted records and dead letters go. */
  readonly topics: { readonly records: string; readonly dlq: string };
  /** The `stage: ingest` child of the service's logger. */
  readonly log: FastifyBaseLogger;
  /** Checks every entry on its own: accepted records, and refused ones with reason and field errors. */
  readonly check: (entries: readonly BatchEntry[]) => CheckedBatch<A>;
  /** The bus records of the accepted records, in order: key, value and event time of each. */
  readonly toRecords: (accepted: readonly A[]) => BusRecord[];
}

/**
 * A batch route: POST `url` with a JSON array or NDJSON. Each record is checked on its own; the
 * valid ones go to `topics.records`, the others to the dead-letter topic with their reasons, and
 * the client hears back only once the bus has both. Register it inside an encapsulated plugin: its
 * body parsers and error translation replace the context's own.
 */
export async function batchRoute<A>(app: FastifyInstance, opts: BatchRouteOptions<A>): Promise<void> {
  const { limits, metrics, log, noun } = opts;

  // Only these two types; Fastify answers any other with 415. Parsed in the handler, where a
  // JSON error can be reported in this API's terms and an NDJSON line can fail on its own.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(Object.keys(MEDIA_TYPES), { parseAs: 'string' }, (request, body, done) => {
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') done(unsupportedEncoding(encoding));
    else done(null, body);
  });
  app.setErrorHandler((err, request, reply) => sendError(request, reply, translateFastifyError(err, request.headers['content-type'], limits.bodyLimitBytes, noun)));
  app.addHook('onResponse', async (_request, reply) => {
    metrics.batches.inc({ status: String(reply.statusCode) });
  });

  app.post(opts.url, { bodyLimit: limits.bodyLimitBytes }, async (request, reply) => {
    const format = formatOf(request.headers['content-type'], noun);
    const entries = parseBatch(typeof request.body === 'string' ? request.body : '', format, limits.maxRecords, noun.many);
    metrics.received.inc(entries.length);
    const batch = opts.check(entries);

    try {
      await publishBatch({ producer: opts.producer, produceSeconds: metrics.produceSeconds }, [
        { topic: opts.topics.records, records: opts.toRecords(batch.accepted) },
        { topic: opts.topics.dlq, records: batch.rejected.map((r) => deadLetterRecord(r)) },
      ]);
    } catch (err) {
      log.warn({ err, records: entries.length }, 'the bus did not take a batch: answered 503');
      throw busUnavailable(limits.retryAfterS, err);
    }

    // Counted once the bus has the batch: the counters say what clients were told.
    metrics.accepted.inc(batch.accepted.length);
    countRejected(metrics, batch.rejected);

    const report = batchReport(batch, limits.maxErrorsReported);
    log.debug({ format, accepted: report.accepted, rejected: report.rejected }, 'batch ingested');
    if (report.accepted === 0 && report.rejected > 0) {
      throw new HttpError(400, `every record of the batch was refused (${report.rejected}): nothing was accepted`, { details: report.errors, extra: { ...report } });
    }
    return reply.code(202).send(report);
  });
}

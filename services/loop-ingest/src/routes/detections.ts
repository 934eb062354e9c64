import type { BusProducer } from '@saferoads/shared/bus';
import type { Network } from '@saferoads/shared/network';
import { HttpError, sendError } from '@saferoads/shared/service';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { checkBatch, type RejectReason } from '../batch/check.js';
import { parseBatch, type BatchFormat } from '../batch/parse.js';
import { publishBatch } from '../batch/publish.js';
import { deadLetterRecord, detectionRecord } from '../batch/records.js';
import { batchReport } from '../batch/report.js';
import type { LoopIngestConfig } from '../config.js';
import type { IngestMetrics } from '../metrics.js';
import { busUnavailable, MEDIA_TYPES, translateFastifyError, unsupportedEncoding, unsupportedMediaType } from './errors.js';

export interface DetectionsRouteOptions {
  readonly producer: BusProducer;
  readonly network: Network;
  readonly metrics: IngestMetrics;
  readonly config: Pick<LoopIngestConfig, 'bodyLimitBytes' | 'maxRecords' | 'maxErrorsReported' | 'retryAfterS'>;
  readonly topics: { readonly detections: string; readonly dlq: string };
  /** The `stage: ingest` child of the service's logger. */
  readonly log: FastifyBaseLogger;
}

function formatOf(contentType: string | undefined): BatchFormat {
  const essence = contentType?.split(';')[0].trim().toLowerCase();
  // Only the two parsers below exist in this scope, so any other type was refused before here.
  const format = essence === undefined ? undefined : MEDIA_TYPES[essence as keyof typeof MEDIA_TYPES];
  if (!format) throw unsupportedMediaType(contentType);
  return format;
}

/**
 * POST /v1/detections: a loop controller's batch, as a JSON array or NDJSON. Each record is
 * checked on its own; the valid ones go to loop.detections keyed by segment, the others to the
 * dead-letter topic with their reasons, and the client hears back only once the bus has both.
 * Encapsulated (no fastify-plugin): its body parsers and error translation stay on this route.
 */
export async function detectionsRoute(app: FastifyInstance, opts: DetectionsRouteOptions): Promise<void> {
  const { config, metrics, log } = opts;

  // Only these two types; Fastify answers any other with 415. Parsed in the handler, where a
  // JSON error can be reported in this API's terms and an NDJSON line can fail on its own.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(Object.keys(MEDIA_TYPES), { parseAs: 'string' }, (request, body, done) => {
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') done(unsupportedEncoding(encoding));
    else done(null, body);
  });
  app.setErrorHandler((err, request, reply) => sendError(request, reply, translateFastifyError(err, request.headers['content-type'], config.bodyLimitBytes)));
  app.addHook('onResponse', async (_request, reply) => {
    metrics.batches.inc({ status: String(reply.statusCode) });
  });

  app.post('/v1/detections', { bodyLimit: config.bodyLimitBytes }, async (request, reply) => {
    const format = formatOf(request.headers['content-type']);
    const entries = parseBatch(typeof request.body === 'string' ? request.body : '', format, config.maxRecords);
    metrics.received.inc(entries.length);
    const batch = checkBatch(entries, opts.network);

    try {
      await publishBatch(
        { producer: opts.producer, metrics, topics: opts.topics },
        { detections: batch.accepted.map(detectionRecord), deadLetters: batch.rejected.map(deadLetterRecord) },
      );
    } catch (err) {
      log.warn({ err, records: entries.length }, 'the bus did not take a batch: answered 503');
      throw busUnavailable(config.retryAfterS, err);
    }

    // Counted once the bus has the batch: the counters say what clients were told.
    metrics.accepted.inc(batch.accepted.length);
    const byReason = new Map<RejectReason, number>();
    for (const r of batch.rejected) byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + 1);
    for (const [reason, n] of byReason) metrics.rejected.inc({ reason }, n);

    const report = batchReport(batch, config.maxErrorsReported);
    log.debug({ format, accepted: report.accepted, rejected: report.rejected }, 'batch ingested');
    if (report.accepted === 0 && report.rejected > 0) {
      throw new HttpError(400, `every record of the batch was refused (${report.rejected}): nothing was accepted`, { details: report.errors, extra: { ...report } });
    }
    return reply.code(202).send(report);
  });
}

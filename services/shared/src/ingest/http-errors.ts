import { HttpError } from '../service/http-errors.js';
import type { BatchFormat } from './parse.js';

/** How a gateway's messages name its records: "detection" / "detections". */
export interface RecordNoun {
  readonly one: string;
  readonly many: string;
}

/** The media types a batch route reads, and the batch format each one means. */
export const MEDIA_TYPES = { 'application/json': 'json', 'application/x-ndjson': 'ndjson' } as const satisfies Record<string, BatchFormat>;

const acceptedTypes = (noun: RecordNoun) => `send application/json (a JSON array of ${noun.many}) or application/x-ndjson (one ${noun.one} per line)`;

export function unsupportedMediaType(contentType: string | undefined, noun: RecordNoun): HttpError {
  const reason = contentType === undefined ? 'is missing' : `${JSON.stringify(contentType)} is not supported`;
  return new HttpError(415, `Content-Type ${reason}: ${acceptedTypes(noun)}`, { details: [{ field: 'content-type', reason }] });
}

export function unsupportedEncoding(encoding: string): HttpError {
  const reason = `${JSON.stringify(encoding)} is not supported`;
  return new HttpError(415, `Content-Encoding ${reason}: send the body uncompressed`, { details: [{ field: 'content-encoding', reason }] });
}

export function bodyTooLarge(limitBytes: number): HttpError {
  return new HttpError(413, `the body is larger than the limit of ${limitBytes} bytes: split the batch`, {
    details: [{ field: '(body)', reason: `larger than ${limitBytes} bytes` }],
  });
}

/** Nothing of the batch counts as accepted: the client sends all of it again, later. */
export function busUnavailable(retryAfterS: number, cause: unknown): HttpError {
  return new HttpError(503, `the event bus did not take the batch, so nothing of it was accepted: send the whole batch again in ${retryAfterS} s`, {
    headers: { 'retry-after': String(retryAfterS) },
    cause,
  });
}

/** The batch format of a Content-Type (parameters such as charset ignored); 415 for any other. */
export function formatOf(contentType: string | undefined, noun: RecordNoun): BatchFormat {
  const essence = contentType?.split(';')[0].trim().toLowerCase();
  const format = essence === undefined ? undefined : MEDIA_TYPES[essence as keyof typeof MEDIA_TYPES];
  if (!format) throw unsupportedMediaType(contentType, noun);
  return format;
}

/** Fastify's own body errors, said the way a batch route's clients need to hear them. */
export function translateFastifyError(err: unknown, contentType: string | undefined, bodyLimitBytes: number, noun: RecordNoun): unknown {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return bodyTooLarge(bodyLimitBytes);
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return unsupportedMediaType(contentType, noun);
  return err;
}

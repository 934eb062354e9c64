import type { FastifyInstance, FastifySchemaValidationError } from 'fastify';
import fp from 'fastify-plugin';
import { errorBody, HttpError, sendError } from '@saferoads/shared/service';

interface FastifyErrorLike {
  readonly code?: string;
  readonly validation?: readonly FastifySchemaValidationError[];
  readonly validationContext?: string;
}

/** A schema failure per field: the parameter's own name, never a JSON path into an empty object. */
export function validationDetails(errors: readonly FastifySchemaValidationError[]): { field: string; reason: string }[] {
  const seen = new Set<string>();
  const out: { field: string; reason: string }[] = [];
  for (const e of errors) {
    const params = e.params as Record<string, unknown>;
    const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    let field = base || '(body)';
    let reason = e.message ?? e.keyword;
    if (e.keyword === 'required') {
      field = base ? `${base}.${String(params.missingProperty)}` : String(params.missingProperty);
      reason = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      field = base ? `${base}.${String(params.additionalProperty)}` : String(params.additionalProperty);
      reason = 'is not a parameter of this route';
    } else if (e.keyword === 'enum') {
      reason = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (e.keyword === 'pattern') {
      reason = 'has a form this parameter does not take';
    }
    const key = `${field}\u0000${e.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, reason });
  }
  return out;
}

/**
 * The common error shape of Saferoads services (`@saferoads/shared/service`), with the fields
 * named the way a client wrote them: `status`, `limit`, `note`, and `(body)` for a body too large.
 */
export const alertApiErrors = fp(
  async (app: FastifyInstance, opts: { bodyLimitBytes: number }) => {
    app.setErrorHandler((err, request, reply) => {
      const e = err as FastifyErrorLike;
      if (e.validation) {
        const where = e.validationContext === 'querystring' ? 'query parameters' : e.validationContext === 'params' ? 'path' : (e.validationContext ?? 'request');
        return sendError(request, reply, new HttpError(400, `invalid ${where}`, { details: validationDetails(e.validation), cause: err }));
      }
      if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return sendError(request, reply, new HttpError(413, `the request body is larger than ${opts.bodyLimitBytes} bytes`, { details: [{ field: '(body)', reason: `larger than ${opts.bodyLimitBytes} bytes` }] }));
      }
      if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        return sendError(request, reply, new HttpError(415, 'the request body must be application/json', { details: [{ field: 'content-type', reason: 'must be application/json' }] }));
      }
      if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (err as Error).name === 'SyntaxError') {
        return sendError(request, reply, new HttpError(400, `the request body is not valid JSON: ${(err as Error).message}`, { details: [{ field: '(body)', reason: 'is not valid JSON' }] }));
      }
      return sendError(request, reply, err);
    });
    app.setNotFoundHandler((request, reply) => reply.code(404).send(errorBody(404, `no route for ${request.method} ${request.url.split('?')[0]}`)));
  },
  { name: 'saferoads-alert-api-errors', fastify: '5.x' },
);

import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import fp from 'fastify-plugin';
import { toFieldErrors } from '../contracts/validate.js';
import { errorBody, HttpError } from './http-errors.js';

interface ErrorLike {
  readonly message?: unknown;
  readonly statusCode?: unknown;
  readonly validation?: readonly FastifySchemaValidationError[];
  readonly validationContext?: string;
}

/**
 * What the client is told about an error: an HttpError as it was thrown, a schema validation
 * failure with every field, any other 4xx as Fastify says it. Anything else is a 500 whose
 * message says nothing of the internals (the log has them).
 */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorLike;
  if (e.validation) {
    const details = toFieldErrors(e.validation).map((d) => ({ field: d.field, reason: d.reason }));
    return new HttpError(400, `invalid request ${e.validationContext ?? 'data'}`, { details, cause: err });
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500 && typeof e.message === 'string') return new HttpError(status, e.message, { cause: err });
  return new HttpError(status >= 500 && status < 600 ? status : 500, 'internal error: the request could not be completed', { cause: err });
}

/** Answers with the ErrorBody of `err`; logs server errors with their cause. */
export function sendError(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const http = toHttpError(err);
  if (http.statusCode >= 500 && http !== err) request.log.error({ err }, 'request failed');
  return reply.code(http.statusCode).headers(http.headers).send(http.body());
}

/**
 * Gives every route of the application (fastify-plugin: not encapsulated) the one error shape,
 * `{ statusCode, error, message, details? }`, for thrown errors and for unknown routes alike.
 * Register it before the plugins that add routes, so their contexts inherit it.
 */
export const httpErrors = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((err, request, reply) => sendError(request, reply, err));
    app.setNotFoundHandler((request, reply) => reply.code(404).send(errorBody(404, `no route for ${request.method} ${request.url}`)));
  },
  { name: 'saferoads-http-errors', fastify: '5.x' },
);

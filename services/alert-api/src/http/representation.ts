import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import negotiate from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fresh from 'fresh';

const gzipAsync = promisify(gzip);

/** A JSON body built once and shared by every request: the text, gzipped, and a tag of its content. */
export interface Representation {
  readonly json: string;
  readonly gzip: Buffer;
  /**
   * The opaque part of the strong ETag: a hash of the JSON text, so two instances behind a load
   * balancer (or a restart) with the same content give the same tag.
   */
  readonly tag: string;
}

/** Hashed and compressed once per build (gzip in zlib's thread pool), never once per request. */
export async function represent(json: string): Promise<Representation> {
  const tag = createHash('sha256').update(json).digest('base64url').slice(0, 22);
  return { json, gzip: await gzipAsync(json, { level: 6 }), tag };
}

/**
 * The strong ETag of each encoding. RFC 9110 8.8.3: representations that differ in content coding
 * are different representations, so the gzipped one carries a tag of its own.
 */
export function entityTag(rep: Pick<Representation, 'tag'>, encoding: 'gzip' | 'identity'): string {
  return encoding === 'gzip' ? `"${rep.tag}-gzip"` : `"${rep.tag}"`;
}

/**
 * Answers with `rep`: gzipped when the client accepts gzip (q > 0), and 304 without a body when
 * If-None-Match names the selected representation's tag (weak comparison, lists and `*`, as
 * RFC 9110 13.1.2 says). Cache-Control and Vary are on the 304 too, as on the 200 it stands for.
 */
export function sendRepresentation(request: FastifyRequest, reply: FastifyReply, rep: Representation, cacheControl: string): FastifyReply {
  const accept = request.headers['accept-encoding'];
  const encoding = typeof accept === 'string' && negotiate(accept, ['gzip', 'identity']) === 'gzip' ? 'gzip' : 'identity';
  const etag = entityTag(rep, encoding);
  reply.header('etag', etag).header('cache-control', cacheControl).header('vary', 'accept-encoding');
  if (fresh(request.headers, { etag })) return reply.code(304).send();
  reply.type('application/json; charset=utf-8');
  if (encoding === 'gzip') return reply.header('content-encoding', 'gzip').send(rep.gzip);
  return reply.send(rep.json);
}

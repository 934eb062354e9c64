import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { HttpError } from '@saferoads/shared/service';
import type { AlertApiMetrics } from '../../metrics.js';
import type { StreamEvent, StreamEventType, StreamHub } from '../../stream/hub.js';
import { ErrorBodySchema, StreamQuerySchema } from '../schemas.js';

export interface StreamRoutesOptions {
  readonly hub: StreamHub;
  readonly metrics: AlertApiMetrics;
  readonly heartbeatMs: number;
  readonly maxBufferedBytes: number;
  readonly maxClients: number;
}

type StreamQuery = { access_token?: string; events?: string; lastEventId?: string };

/**
 * GET /v1/stream: Server-Sent Events of scores and alerts (docs/alert-api.md#the-live-stream).
 * The response is taken over from Fastify (hijack) and written straight to the socket, each event
 * as the hub framed it once for everyone.
 */
export async function streamRoutes(app: FastifyInstance, o: StreamRoutesOptions): Promise<void> {
  const open = new Set<ServerResponse>();
  // Closing the server waits for open connections: end the streams first.
  app.addHook('preClose', async () => {
    for (const raw of open) raw.end();
  });

  app.get<{ Querystring: StreamQuery }>(
    '/stream',
    {
      config: { role: 'viewer', queryToken: true },
      schema: {
        tags: ['stream'],
        summary: 'Live scores and alerts as Server-Sent Events; resumes after Last-Event-ID',
        description: 'EventSource cannot set headers: this route also takes the token as ?access_token=. Events: `score` (a RiskScore), `alert` (an Alert), `reset` (resume impossible: reload).',
        querystring: StreamQuerySchema,
        headers: { type: 'object', properties: { 'last-event-id': { type: 'string', pattern: '^\\d{1,16}$' } } },
        response: { 401: ErrorBodySchema, 403: ErrorBodySchema, 503: ErrorBodySchema },
      },
    },
    async (request, reply) => {
      if (open.size >= o.maxClients) throw new HttpError(503, `the stream has its maximum of ${o.maxClients} clients: try again later`, { headers: { 'retry-after': '5' } });
      const types = new Set<StreamEventType>((request.query.events ?? 'score,alert').split(',') as StreamEventType[]);
      const header = request.headers['last-event-id'];
      const last = typeof header === 'string' && header !== '' ? header : request.query.lastEventId;

      reply.hijack();
      const raw = reply.raw;
      // Headers other hooks set (security headers, CORS) on the reply, which a hijacked response does not send by itself.
      const headers = { ...(reply.getHeaders() as Record<string, string>), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' };
      raw.writeHead(200, headers);
      raw.write(`retry: 3000\n\n`);
      open.add(raw);
      o.metrics.streamClients.set(open.size);

      const send = (e: StreamEvent) => {
        if (!types.has(e.type)) return;
        if (raw.writableLength > o.maxBufferedBytes) {
          o.metrics.streamDropped.inc({ reason: 'slow' });
          request.log.warn({ buffered: raw.writableLength }, 'stream client too slow: disconnected (it resumes with its Last-Event-ID)');
          raw.destroy();
          return;
        }
        raw.write(e.frame);
      };
      // since() and subscribe() in one synchronous step: no event can fall between the replay and the live part.
      if (last !== undefined) {
        const resume = o.hub.since(Number(last));
        if (resume.kind === 'reset') raw.write(`id: ${o.hub.lastId}\nevent: reset\ndata: ${JSON.stringify({ reason: resume.reason })}\n\n`);
        else for (const e of resume.events) send(e);
      }
      const unsubscribe = o.hub.subscribe(send);
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), o.heartbeatMs);
      heartbeat.unref();
      raw.on('close', () => {
        unsubscribe();
        clearInterval(heartbeat);
        open.delete(raw);
        o.metrics.streamClients.set(open.size);
      });
    },
  );
}

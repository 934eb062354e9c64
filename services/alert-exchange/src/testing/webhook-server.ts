import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: unknown;
}

/** What the server answers the n-th request on a path (0-based): a status, or no answer at all. */
export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

export interface WebhookServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  requestsTo(path: string): RecordedRequest[];
  close(): Promise<void>;
}

/** A real HTTP receiver on 127.0.0.1 and an ephemeral port that records every request it gets. */
export async function startWebhookServer(script: (path: string, n: number) => Reply): Promise<WebhookServer> {
  const requests: RecordedRequest[] = [];
  const counts = new Map<string, number>();
  const hanging = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const n = counts.get(path) ?? 0;
      counts.set(path, n + 1);
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', path, contentType: req.headers['content-type'], body: text === '' ? null : JSON.parse(text) });
      const reply = script(path, n);
      if (reply === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.body ?? (reply.status < 300 ? 'ok' : 'error'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    requestsTo: (path) => requests.filter((r) => r.path === path),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

import { request as httpRequest, type IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { KEYS, auth, testApiPerTest } from '../testing/harness.js';

const start = testApiPerTest();

interface Sse {
  readonly res: IncomingMessage;
  /** Parsed events so far: [id, event, data]. */
  readonly events: [string, string, unknown][];
  next(n: number): Promise<[string, string, unknown][]>;
  close(): void;
}

/** A real HTTP connection to the stream (inject cannot follow a response that never ends). */
function connect(base: string, path: string, headers: Record<string, string> = {}): Promise<Sse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { headers }, (res) => {
      const events: [string, string, unknown][] = [];
      let buf = '';
      let waiters: (() => void)[] = [];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const f = Object.fromEntries(frame.split('\n').filter((l) => !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
          if (f.event) events.push([f.id, f.event, JSON.parse(f.data)]);
        }
        for (const w of waiters) w();
        waiters = [];
      });
      resolve({
        res,
        events,
        next: async (n) => {
          const deadline = Date.now() + 5_000;
          while (events.length < n) {
            if (Date.now() > deadline) throw new Error(`only ${events.length} of ${n} events arrived`);
            await new Promise<void>((r) => {
              waiters.push(r);
              setTimeout(r, 100);
            });
          }
          return events.slice(0, n);
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GET /v1/stream', () => {
  it('sends score and alert events with increasing ids, the token in the query, and only the types asked for', async () => {
    const api = await start();
    const base = await api.app.listen({ port: 0, host: '127.0.0.1' });
    const all = await connect(base, `/v1/stream?access_token=${KEYS.viewer}`);
    const alerts = await connect(base, '/v1/stream?events=alert', auth('viewer'));
    expect([all.res.statusCode, all.res.headers['content-type'], all.res.headers['cache-control']]).toEqual([200, 'text/event-stream; charset=utf-8', 'no-cache, no-transform']);
    expect(all.res.headers['content-security-policy']).toContain("default-src 'self'");
    const first = api.hub.lastId + 1;
    api.hub.publish('score', { segmentId: 'A13-S-001', windowEndMs: 1 });
    api.hub.publish('alert', { alertId: 'a', status: 'open' });
    api.hub.publish('score', { segmentId: 'A13-S-002', windowEndMs: 1 });
    expect(await all.next(3)).toEqual([
      [String(first), 'score', { segmentId: 'A13-S-001', windowEndMs: 1 }],
      [String(first + 1), 'alert', { alertId: 'a', status: 'open' }],
      [String(first + 2), 'score', { segmentId: 'A13-S-002', windowEndMs: 1 }],
    ]);
    expect(await alerts.next(1)).toEqual([[String(first + 1), 'alert', { alertId: 'a', status: 'open' }]]);
    all.close();
    alerts.close();
  });

  it('replays what a client missed after its Last-Event-ID, then goes on live; beyond the buffer it says reset', async () => {
    const api = await start({ env: { ALERT_API_STREAM_BUFFER: '3' } });
    const base = await api.app.listen({ port: 0, host: '127.0.0.1' });
    const first = api.hub.lastId + 1;
    for (let i = 0; i < 5; i++) api.hub.publish('score', { i });
    const resumed = await connect(base, '/v1/stream', { ...auth('viewer'), 'last-event-id': String(first + 2) });
    api.hub.publish('score', { i: 5 });
    expect((await resumed.next(3)).map(([id, , d]) => [Number(id) - first, d])).toEqual([
      [3, { i: 3 }],
      [4, { i: 4 }],
      [5, { i: 5 }],
    ]);
    const stale = await connect(base, `/v1/stream?lastEventId=${first}`, auth('viewer'));
    const [reset] = await stale.next(1);
    expect(reset[1]).toBe('reset');
    expect(reset[2]).toEqual({ reason: `events after ${first} are no longer buffered (the oldest kept is ${first + 3}): reload the current state` });
    resumed.close();
    stale.close();
  });

  it('refuses a client without a token, and a malformed Last-Event-ID naming it', async () => {
    const api = await start();
    expect((await api.app.inject({ method: 'GET', url: '/v1/stream' })).statusCode).toBe(401);
    const res = await api.app.inject({ method: 'GET', url: '/v1/stream', headers: { ...auth('viewer'), 'last-event-id': 'abc' } });
    expect([res.statusCode, res.json().details]).toEqual([400, [{ field: 'last-event-id', reason: 'has a form this parameter does not take' }]]);
    const q = await api.app.inject({ method: 'GET', url: '/v1/stream?events=weather', headers: auth('viewer') });
    expect([q.statusCode, q.json().details]).toEqual([400, [{ field: 'events', reason: 'has a form this parameter does not take' }]]);
  });
});

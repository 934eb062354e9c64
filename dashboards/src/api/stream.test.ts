import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionState } from '../model/reconnect.js';
import { StreamClient } from './stream.js';

/** A fetch answering each call with the next response of the script, and recording the headers sent. */
function scriptedFetch(responses: (() => Response)[]) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const fetch = vi.fn(async (url: string, init: RequestInit) => {
    calls.push({ url, headers: { ...(init.headers as Record<string, string>) } });
    const next = responses.shift();
    if (!next) return new Promise<Response>(() => undefined); // the last connection stays open
    return next();
  });
  return { fetch, calls };
}

const sse = (text: string) => () => new Response(text, { status: 200, headers: { 'content-type': 'text/event-stream' } });

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('stream client', () => {
  it('sends the key in a header, dispatches events, and resumes after a drop with Last-Event-ID', async () => {
    const { fetch, calls } = scriptedFetch([
      sse('id: 7\nevent: score\ndata: {"segmentId":"A","windowEndMs":60000}\n\n: keep-alive\n\nid: 8\nevent: alert\ndata: {"alertId":"x"}\n\n'),
      sse('id: 9\nevent: reset\ndata: {"reason":"too old"}\n\nevent: score\ndata: not json\n\n'),
    ]);
    vi.stubGlobal('fetch', fetch);
    vi.spyOn(Math, 'random').mockReturnValue(0);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const seen: string[] = [];
    const states: ConnectionState[] = [];
    const client = new StreamClient('srk_secret', {
      score: (s) => seen.push(`score ${s.segmentId}`),
      alert: (a) => seen.push(`alert ${a.alertId}`),
      reset: () => seen.push('reset'),
      state: (s) => states.push(s),
    });
    client.start();
    await vi.waitFor(() => expect(calls).toHaveLength(3), { timeout: 3_000 });
    client.stop();
    expect(seen).toEqual(['score A', 'alert x', 'reset']);
    expect(states).toEqual(['connecting', 'live', 'reconnecting', 'live', 'reconnecting']);
    expect(calls.map((c) => c.url)).toEqual(['/v1/stream', '/v1/stream', '/v1/stream']);
    expect(calls.map((c) => c.headers.authorization)).toEqual(['Bearer srk_secret', 'Bearer srk_secret', 'Bearer srk_secret']);
    expect(calls.map((c) => c.headers['last-event-id'])).toEqual([undefined, '8', '9']);
  });

  it('stops and says so when the key is refused', async () => {
    const { fetch, calls } = scriptedFetch([() => new Response('{}', { status: 401 })]);
    vi.stubGlobal('fetch', fetch);
    const states: ConnectionState[] = [];
    const client = new StreamClient('srk_bad', { score: () => undefined, alert: () => undefined, reset: () => undefined, state: (s) => states.push(s) });
    client.start();
    await vi.waitFor(() => expect(states).toContain('unauthorised'));
    await new Promise((r) => setTimeout(r, 600));
    expect(calls).toHaveLength(1);
    expect(states).toEqual(['connecting', 'unauthorised']);
  });
});

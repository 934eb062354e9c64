import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '@saferoads/shared/errors';
import { ServiceMetrics } from '@saferoads/shared/service';
import { EVENTS } from '../testing/fixtures.js';
import { startWebhookServer, type Reply, type WebhookServer } from '../testing/webhook-server.js';
import { webhookConfig } from './config.js';
import { parseRetryAfter } from './http.js';
import { MemoryNotificationLog } from './log.js';
import { WebhookNotifier, type NotifierDeps } from './notifier.js';
import type { WebhookOptions } from './config.js';

let server: WebhookServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Flaky /ops: 500, 503, then 429 asking for 2 s, then fine. /all and /ok are always fine. */
const SCRIPT = (path: string, n: number): Reply => {
  if (path === '/ops') return [{ status: 500 }, { status: 503 }, { status: 429, headers: { 'retry-after': '2' } }][n] ?? { status: 200 };
  if (path === '/gone') return { status: 404, body: 'no_service' };
  if (path === '/down') return { status: 503 };
  if (path === '/busy') return { status: 429, headers: { 'retry-after': '3600' } };
  if (path === '/slow') return n === 0 ? 'hang' : { status: 200 };
  return { status: 200 };
};

function setup(routes: WebhookOptions['routes'], extra: Partial<WebhookOptions> = {}, deps: Partial<NotifierDeps> = {}) {
  const sleeps: number[] = [];
  const metrics = new ServiceMetrics('alert-api', { defaultMetrics: false });
  const log = deps.log ?? new MemoryNotificationLog();
  const notifier = new WebhookNotifier(
    { routes, initialDelayMs: 100, maxDelayMs: 10_000, timeoutMs: 2_000, ...extra },
    { log, metrics, random: () => 0.5, sleep: async (ms) => void sleeps.push(ms), now: () => Date.UTC(2026, 11, 4, 13, 30), ...deps },
  );
  const count = async (name: string, labels: Record<string, string>) => {
    const metric = await metrics.registry.getSingleMetric(`saferoads_${name}`)?.get();
    return metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value ?? 0;
  };
  return { notifier, sleeps, metrics, log, count };
}

describe('WebhookNotifier against a real HTTP server', () => {
  it('sends new high and severe alerts and escalations, retries through 5xx and a 429, and a replay sends nothing more', async () => {
    server = await startWebhookServer(SCRIPT);
    const { notifier, sleeps, count } = setup([
      { id: 'ops', url: `${server.url}/ops` },
      { id: 'all', url: `${server.url}/all`, minLevel: 'elevated', types: ['raised', 'escalated', 'deescalated', 'resolved'] },
    ], { alertLinkBase: 'https://saferoads.example.org/alerts' });

    const first = [];
    for (const e of EVENTS) first.push(await notifier.deliver(e));
    expect(first).toEqual([
      [{ routeId: 'ops', outcome: 'sent', attempts: 4 }, { routeId: 'all', outcome: 'sent', attempts: 1 }],
      [{ routeId: 'ops', outcome: 'sent', attempts: 1 }, { routeId: 'all', outcome: 'sent', attempts: 1 }],
      [{ routeId: 'all', outcome: 'sent', attempts: 1 }],
      [{ routeId: 'all', outcome: 'sent', attempts: 1 }],
    ]);
    // Full jitter at 0.5 of 100 ms, 200 ms, then the 429's Retry-After (2 s) over the 200 ms backoff.
    expect(sleeps).toEqual([50, 100, 2000]);
    expect(server.requestsTo('/ops')).toHaveLength(5);
    expect(server.requestsTo('/all')).toHaveLength(4);
    expect(server.requests.every((r) => r.method === 'POST' && r.contentType === 'application/json; charset=utf-8')).toBe(true);

    const escalation = server.requestsTo('/ops')[4].body;
    expect(escalation).toEqual({
      text: 'Severe crash risk on A13 Schönberg &amp; &lt;Stubai&gt; "Nord" (northbound): precipitation 55 %, speed variation 30 %, short gaps 15 %',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Severe crash risk on A13 Schönberg & <Stubai> "Nord" (northbound)', emoji: false } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: "Alert escalated from high to severe. Crash risk 6.8 times the road's reference (0.42 % in the next 15 minutes). Top factors: precipitation 55 %, speed variation 30 %, short gaps 15 %.",
          },
        },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Segment*\nA13-N-007, A13 Schönberg &amp; &lt;Stubai&gt; "Nord" (northbound)' },
            { type: 'mrkdwn', text: '*Level*\nhigh → severe' },
            { type: 'mrkdwn', text: '*Relative risk*\n6.8× (0.42 %)' },
            { type: 'mrkdwn', text: '*Minute*\n2026-12-04 13:20 UTC' },
          ],
        },
        { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open alert' }, url: 'https://saferoads.example.org/alerts/0b6f3a52-1c2d-8e4f-9a0b-1c2d3e4f5a6b' }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Saferoads · Severe crash risk · event 0b6f3a52-1c2d-8e4f-9a0b-1c2d3e4f5a6b/1' }] },
      ],
    });
    // The four attempts for the raised alert carried the same message.
    const raised = server.requestsTo('/ops').slice(0, 4).map((r) => JSON.stringify(r.body));
    expect(new Set(raised).size).toBe(1);

    // Replay of every event (a consumer restarted from an older offset): nothing more goes out.
    const replay = [];
    for (const e of EVENTS) replay.push(await notifier.deliver(e));
    expect(replay.flat().map((o) => o.outcome)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(server.requests).toHaveLength(9);

    expect(await count('alert_webhook_deliveries_total', { route: 'ops', outcome: 'sent' })).toBe(2);
    expect(await count('alert_webhook_deliveries_total', { route: 'all', outcome: 'sent' })).toBe(4);
    expect(await count('alert_webhook_deliveries_total', { route: 'ops', outcome: 'skipped' })).toBe(2);
    expect(await count('alert_webhook_deliveries_total', { route: 'all', outcome: 'skipped' })).toBe(4);
    expect(await count('alert_webhook_retries_total', { route: 'ops' })).toBe(3);
    expect(await count('alert_webhook_retries_total', { route: 'all' })).toBe(0);
  });

  it('treats a 4xx other than 408 and 429 as final: one request, failed, and never again', async () => {
    server = await startWebhookServer(SCRIPT);
    const { notifier, log, count } = setup([{ id: 'gone', url: `${server.url}/gone` }]);
    expect(await notifier.deliver(EVENTS[0])).toEqual([{ routeId: 'gone', outcome: 'failed', attempts: 1, error: 'HTTP 404: no_service' }]);
    expect(await notifier.deliver(EVENTS[0])).toEqual([{ routeId: 'gone', outcome: 'skipped', attempts: 0 }]);
    expect(server.requests).toHaveLength(1);
    expect((await log.get('gone', EVENTS[0].eventId))?.status).toBe('failed');
    expect(await count('alert_webhook_deliveries_total', { route: 'gone', outcome: 'failed' })).toBe(1);
  });

  it('gives up after the last attempt on a receiver that stays down; a replay tries again', async () => {
    server = await startWebhookServer(SCRIPT);
    const { notifier, sleeps, count } = setup([{ id: 'down', url: `${server.url}/down` }], { attempts: 3 });
    expect(await notifier.deliver(EVENTS[0])).toEqual([{ routeId: 'down', outcome: 'exhausted', attempts: 3, error: 'HTTP 503: error' }]);
    expect(sleeps).toEqual([50, 100]);
    expect(await notifier.deliver(EVENTS[0])).toEqual([{ routeId: 'down', outcome: 'exhausted', attempts: 3, error: 'HTTP 503: error' }]);
    expect(server.requests).toHaveLength(6);
    expect(await count('alert_webhook_deliveries_total', { route: 'down', outcome: 'exhausted' })).toBe(2);
    expect(await count('alert_webhook_retries_total', { route: 'down' })).toBe(4);
  });

  it('does not wait out a Retry-After longer than maxRetryAfterMs', async () => {
    server = await startWebhookServer(SCRIPT);
    const { notifier, sleeps } = setup([{ id: 'busy', url: `${server.url}/busy` }]);
    expect(await notifier.deliver(EVENTS[0])).toEqual([{ routeId: 'busy', outcome: 'exhausted', attempts: 1, error: 'HTTP 429 (rate limited, retry after 3600000 ms): error' }]);
    expect(sleeps).toEqual([]);
  });

  it('times a silent receiver out and retries', async () => {
    server = await startWebhookServer(SCRIPT);
    const { notifier } = setup([{ id: 'slow', url: `${server.url}/slow` }], { timeoutMs: 200 });
    expect(await notifier.deliver(EVENTS[0])).toEqual([{ routeId: 'slow', outcome: 'sent', attempts: 2 }]);
    expect(server.requestsTo('/slow')).toHaveLength(2);
  });

  it('counts a refused connection as transient', async () => {
    server = await startWebhookServer(SCRIPT);
    const url = `${server.url}/ok`;
    await server.close();
    server = undefined;
    const { notifier } = setup([{ id: 'nobody', url }], { attempts: 2 });
    const [o] = await notifier.deliver(EVENTS[0]);
    expect([o.outcome, o.attempts, o.error?.startsWith('request failed:')]).toEqual(['exhausted', 2, true]);
  });

  it('two instances on one log deliver an event once', async () => {
    server = await startWebhookServer(SCRIPT);
    const log = new MemoryNotificationLog();
    const a = setup([{ id: 'all', url: `${server.url}/all` }], {}, { log }).notifier;
    const b = setup([{ id: 'all', url: `${server.url}/all` }], {}, { log }).notifier;
    const outcomes = (await Promise.all([a.deliver(EVENTS[1]), b.deliver(EVENTS[1])])).flat().map((o) => o.outcome);
    expect(outcomes.sort()).toEqual(['sent', 'skipped']);
    expect(server.requests).toHaveLength(1);
  });

  it('submit() delivers in the background and idle() waits for it', async () => {
    server = await startWebhookServer(SCRIPT);
    const { notifier } = setup([{ id: 'all', url: `${server.url}/all`, types: ['raised', 'escalated', 'deescalated', 'resolved'] }]);
    for (const e of EVENTS) notifier.submit(e);
    await notifier.idle();
    const events = server.requests.map((r) => /event (\S+)$/.exec((r.body as { blocks: { elements?: { text: string }[] }[] }).blocks.at(-1)?.elements?.[0].text ?? '')?.[1]);
    expect(events.sort()).toEqual(EVENTS.map((e) => e.eventId).sort());
  });
});

describe('routing', () => {
  it.each([
    ['raised', 'high', true],
    ['raised', 'elevated', false],
    ['escalated', 'severe', true],
    ['deescalated', 'high', false],
    ['resolved', 'severe', false],
  ] as const)('the default route sends %s at %s: %s', (type, level, sent) => {
    const { notifier } = setup([{ id: 'r', url: 'http://127.0.0.1:9/x' }]);
    expect(notifier.routesFor({ type, level }).length === 1).toBe(sent);
  });
});

describe('webhookConfig', () => {
  it.each([
    [{ routes: [{ id: 'a b', url: 'http://x' }] }, 'routes[0].id: 1 to 64 letters, digits, _ or -'],
    [{ routes: [{ id: 'a', url: 'http://x' }, { id: 'a', url: 'http://y' }] }, 'routes[1].id: a is used twice'],
    [{ routes: [{ id: 'a', url: 'ftp://x' }] }, 'routes[0].url: an http(s) URL'],
    [{ routes: [{ id: 'a', url: 'http://x', minLevel: 'extreme' }] }, 'routes[0].minLevel: one of low, elevated, high, severe'],
    [{ routes: [{ id: 'a', url: 'http://x', types: [] }] }, 'routes[0].types: a non-empty list of raised, escalated, deescalated, resolved'],
    [{ routes: [], attempts: 0 }, 'attempts: an integer from 1 to 20'],
    [{ routes: [], initialDelayMs: 1000, maxDelayMs: 10 }, 'maxDelayMs: an integer from initialDelayMs to 3600000'],
  ])('refuses %j: %s', (opts, problem) => {
    expect(() => webhookConfig(opts as never)).toThrow(ConfigError);
    expect(() => webhookConfig(opts as never)).toThrow(problem);
  });

  it('holds a claim longer than any delivery can take', () => {
    expect(webhookConfig({ routes: [] }).leaseMs).toBe(5 * 5_000 + 4 * 60_000 + 60_000);
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120_000],
    ['Fri, 04 Dec 2026 13:30:30 GMT', 30_000],
    ['Fri, 04 Dec 2026 13:29:00 GMT', 0],
    ['soon', null],
    [null, null],
  ])('%s is %s ms', (value, ms) => {
    expect(parseRetryAfter(value, Date.UTC(2026, 11, 4, 13, 30))).toBe(ms);
  });
});

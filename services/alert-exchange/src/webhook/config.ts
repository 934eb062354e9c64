import { ConfigError } from '@saferoads/shared/errors';
import { ALERT_LEVELS } from '../levels.js';
import type { AlertLevel, LifecycleType } from '../types.js';

const LIFECYCLE: readonly LifecycleType[] = ['raised', 'escalated', 'deescalated', 'resolved'];

export interface WebhookRouteOptions {
  /** Names the route in the log, the metrics and the dedupe key: letters, digits, `_` and `-`. */
  readonly id: string;
  /** Where to POST, e.g. a Slack incoming-webhook URL. */
  readonly url: string;
  /** Lowest level that is sent. Default `high`. */
  readonly minLevel?: AlertLevel;
  /** Lifecycle steps that are sent. Default raised and escalated: new alerts and escalations. */
  readonly types?: readonly LifecycleType[];
  /** Extra request headers (e.g. an authorization header for a non-Slack receiver). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface WebhookOptions {
  readonly routes: readonly WebhookRouteOptions[];
  /** Requests per delivery, the first included. Default 5. */
  readonly attempts?: number;
  /** First backoff ceiling; each later one doubles, up to maxDelayMs (full jitter). Default 500. */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  /** One request's limit. Default 5000. */
  readonly timeoutMs?: number;
  /** A Retry-After longer than this ends the delivery as exhausted instead of holding it. Default 60000. */
  readonly maxRetryAfterMs?: number;
  /** When set, each message links to `<alertLinkBase>/<alertId>` (the dashboard). */
  readonly alertLinkBase?: string;
}

export interface WebhookRoute {
  readonly id: string;
  readonly url: string;
  readonly minLevel: AlertLevel;
  readonly types: readonly LifecycleType[];
  readonly headers: Readonly<Record<string, string>>;
}

export interface WebhookConfig {
  readonly routes: readonly WebhookRoute[];
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly timeoutMs: number;
  readonly maxRetryAfterMs: number;
  readonly alertLinkBase?: string;
  /** How long a claim holds before another instance may take the delivery over: longer than any delivery can take. */
  readonly leaseMs: number;
}

function httpUrl(s: unknown): boolean {
  if (typeof s !== 'string') return false;
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function int(v: number, min: number, max: number): boolean {
  return Number.isInteger(v) && v >= min && v <= max;
}

/** Checks the options once, when the notifier is built; every problem is named. */
export function webhookConfig(opts: WebhookOptions): WebhookConfig {
  const problems: string[] = [];
  const seen = new Set<string>();
  const routes = (opts.routes ?? []).map((r, i): WebhookRoute => {
    const at = `routes[${i}]`;
    if (typeof r.id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(r.id)) problems.push(`${at}.id: 1 to 64 letters, digits, _ or -`);
    else if (seen.has(r.id)) problems.push(`${at}.id: ${r.id} is used twice`);
    seen.add(r.id);
    if (!httpUrl(r.url)) problems.push(`${at}.url: an http(s) URL`);
    const minLevel = r.minLevel ?? 'high';
    if (!ALERT_LEVELS.includes(minLevel)) problems.push(`${at}.minLevel: one of ${ALERT_LEVELS.join(', ')}`);
    const types = r.types ?? ['raised', 'escalated'];
    if (!Array.isArray(types) || types.length === 0 || types.some((t) => !LIFECYCLE.includes(t))) problems.push(`${at}.types: a non-empty list of ${LIFECYCLE.join(', ')}`);
    return { id: r.id, url: r.url, minLevel, types: [...types], headers: { ...(r.headers ?? {}) } };
  });
  const c = {
    routes,
    attempts: opts.attempts ?? 5,
    initialDelayMs: opts.initialDelayMs ?? 500,
    maxDelayMs: opts.maxDelayMs ?? 30_000,
    timeoutMs: opts.timeoutMs ?? 5_000,
    maxRetryAfterMs: opts.maxRetryAfterMs ?? 60_000,
    alertLinkBase: opts.alertLinkBase?.replace(/\/+$/, ''),
  };
  if (!int(c.attempts, 1, 20)) problems.push('attempts: an integer from 1 to 20');
  if (!int(c.initialDelayMs, 1, 600_000)) problems.push('initialDelayMs: an integer from 1 to 600000');
  if (!int(c.maxDelayMs, c.initialDelayMs, 3_600_000)) problems.push('maxDelayMs: an integer from initialDelayMs to 3600000');
  if (!int(c.timeoutMs, 10, 120_000)) problems.push('timeoutMs: an integer from 10 to 120000');
  if (!int(c.maxRetryAfterMs, 0, 3_600_000)) problems.push('maxRetryAfterMs: an integer from 0 to 3600000');
  if (c.alertLinkBase !== undefined && !httpUrl(c.alertLinkBase)) problems.push('alertLinkBase: an http(s) URL');
  if (problems.length > 0) throw new ConfigError('webhook notifier', problems);
  const leaseMs = c.attempts * c.timeoutMs + (c.attempts - 1) * Math.max(c.maxDelayMs, c.maxRetryAfterMs) + 60_000;
  return { ...c, leaseMs };
}

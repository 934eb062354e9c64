import { SaferoadsError } from '@saferoads/shared/errors';

/** A webhook request that did not succeed; `retriable` says whether another attempt can help. */
export class WebhookError extends SaferoadsError {
  constructor(
    message: string,
    readonly status: number | null,
    retriable: boolean,
    /** From a Retry-After header, when the receiver sent one. */
    readonly retryAfterMs: number | null = null,
    cause?: unknown,
  ) {
    super('IO_FAILED', message, { retriable, cause });
    this.name = 'WebhookError';
  }
}

/** Retry-After as seconds or an HTTP date (RFC 9110, 10.2.3); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<Response>;

/**
 * POSTs JSON once. 2xx is success. 408, 429 and 5xx are worth another attempt (429 with its
 * Retry-After), as are network errors and the timeout; any other status is a permanent refusal.
 */
export async function postJson(
  url: string,
  body: unknown,
  opts: { timeoutMs: number; headers?: Readonly<Record<string, string>>; fetch?: FetchLike; now?: () => number },
): Promise<number> {
  const doFetch: FetchLike = opts.fetch ?? ((u, init) => fetch(u, init));
  let res: Response;
  try {
    res = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...opts.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (err) {
    const timedOut = err instanceof DOMException && err.name === 'TimeoutError';
    throw new WebhookError(timedOut ? `no answer within ${opts.timeoutMs} ms` : `request failed: ${(err as Error).message}`, null, true, null, err);
  }
  // The body is read and dropped either way, so the connection can be reused.
  const text = await res.text().catch(() => '');
  if (res.ok) return res.status;
  const detail = text.length > 0 ? `: ${text.slice(0, 200)}` : '';
  if (res.status === 429) {
    const after = parseRetryAfter(res.headers.get('retry-after'), (opts.now ?? Date.now)());
    throw new WebhookError(`HTTP 429 (rate limited${after === null ? '' : `, retry after ${after} ms`})${detail}`, 429, true, after);
  }
  const retriable = res.status === 408 || res.status >= 500;
  throw new WebhookError(`HTTP ${res.status}${detail}`, res.status, retriable);
}

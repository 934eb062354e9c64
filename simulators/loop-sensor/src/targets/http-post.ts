import { DeliveryError } from './sink.js';

/** What the gateway reported for one accepted request. */
export interface GatewayAnswer {
  readonly accepted: number;
  readonly rejected: number;
  /** The first per-record error, as "record 3, speedKmh: must be > 0". */
  readonly firstError?: string;
}

/** A failure worth another attempt: no answer, a 5xx, or a 429. `retryAfterMs` from Retry-After. */
export class RetriableSendError extends Error {
  override readonly name = 'RetriableSendError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

export type FetchFn = (url: string, init: RequestInit) => Promise<Response>;

/** What follows a 4xx message: how to fix it where the simulator's options can. */
const HINTS: Readonly<Record<number, string>> = {
  413: ' (lower --batch-size)',
};

/**
 * POSTs one NDJSON body. Resolves with the gateway's counts on 200/202; throws
 * RetriableSendError for what a retry can fix and DeliveryError, with the gateway's own message,
 * for a refusal (4xx), which the same body would get again. `signal` ends the request (the run
 * stopping, or the request timeout).
 */
export async function postNdjson(fetchFn: FetchFn, endpoint: string, body: string, records: number, signal: AbortSignal): Promise<GatewayAnswer> {
  let res: Response;
  let text: string;
  try {
    res = await fetchFn(endpoint, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body, signal });
    text = await res.text();
  } catch (err) {
    throw new RetriableSendError(`POST ${endpoint}: ${reasonOf(err)}`, 0);
  }
  if (res.status === 200 || res.status === 202) return answerOf(endpoint, text);
  const status = `${res.status} ${res.statusText}`.trim();
  const message = messageOf(text);
  if (res.status === 503 || res.status === 429 || res.status >= 500) {
    throw new RetriableSendError(`POST ${endpoint} answered ${status}: ${message}`, retryAfterMs(res.headers.get('retry-after'), Date.now()));
  }
  throw new DeliveryError(`${endpoint} refused a batch of ${records} records with ${status}: ${message}${HINTS[res.status] ?? ''}`);
}

/** Retry-After in ms: delta-seconds or an HTTP date (RFC 9110 §10.2.3); 0 when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number {
  if (header === null) return 0;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : 0;
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, a timeout) is in the cause. */
function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === 'TimeoutError') return 'no answer within the request timeout';
  return err.cause instanceof Error ? err.cause.message : err.message;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** "record 3, speedKmh: must be > 0" from one `details` / `errors` entry of the gateway. */
function describeError(e: unknown): string | undefined {
  if (!isRecord(e) || typeof e.reason !== 'string') return undefined;
  const where = [typeof e.index === 'number' ? `record ${e.index}` : '', typeof e.field === 'string' ? e.field : ''].filter((s) => s !== '').join(', ');
  return where === '' ? e.reason : `${where}: ${e.reason}`;
}

/**
 * The gateway's error message, plus its first record's error when it names one (the message of an
 * all-refused batch does not say why); the start of the body for anything else (a proxy's page).
 */
function messageOf(text: string): string {
  const body = parse(text);
  if (!isRecord(body) || typeof body.message !== 'string') return text.trim().slice(0, 300) || '(empty body)';
  const detail: unknown = Array.isArray(body.details) ? body.details[0] : undefined;
  const first = isRecord(detail) && typeof detail.index === 'number' ? describeError(detail) : undefined;
  return first === undefined ? body.message : `${body.message}; first: ${first}`;
}

function answerOf(endpoint: string, text: string): GatewayAnswer {
  const body = parse(text);
  if (!isRecord(body) || typeof body.accepted !== 'number' || typeof body.rejected !== 'number') {
    throw new DeliveryError(`${endpoint} answered without accepted/rejected counts: ${text.trim().slice(0, 300)}`);
  }
  const firstError = Array.isArray(body.errors) ? describeError(body.errors[0]) : undefined;
  return { accepted: body.accepted, rejected: body.rejected, ...(firstError !== undefined && { firstError }) };
}

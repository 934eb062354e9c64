import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { ConnectionState } from '../model/reconnect.js';
import { reconnectDelayMs } from '../model/reconnect.js';
import type { AlertView, RiskScore } from '../model/types.js';

export interface StreamHandlers {
  score(score: RiskScore): void;
  alert(alert: AlertView): void;
  /** The API could not resume from our last id: what the page shows must be reloaded. */
  reset(): void;
  state(state: ConnectionState): void;
}

/**
 * GET /v1/stream read through fetch rather than EventSource, which cannot send the Authorization
 * header (its only way is ?access_token= in the URL, which proxies log). Reconnects with backoff
 * and resumes with Last-Event-ID, as EventSource would.
 */
export class StreamClient {
  private lastEventId: string | null = null;
  private abort: AbortController | null = null;
  private stopped = false;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly token: string,
    private readonly handlers: StreamHandlers,
    private readonly base = '',
  ) {}

  start(): void {
    this.stopped = false;
    this.handlers.state('connecting');
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort?.abort();
  }

  private async connect(): Promise<void> {
    this.abort = new AbortController();
    try {
      const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' };
      if (this.lastEventId) headers['last-event-id'] = this.lastEventId;
      const res = await fetch(`${this.base}/v1/stream`, { headers, signal: this.abort.signal, cache: 'no-store' });
      if (res.status === 401 || res.status === 403) {
        this.handlers.state('unauthorised');
        return;
      }
      if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
      this.handlers.state('live');
      this.attempt = 0;
      const events = res.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
      const reader = events.getReader();
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        if (value.id) this.lastEventId = value.id;
        this.dispatch(value.event, value.data);
      }
    } catch (err) {
      if (this.stopped) return;
      console.warn('saferoads: stream dropped', err);
    }
    if (this.stopped) return;
    this.handlers.state('reconnecting');
    this.timer = setTimeout(() => void this.connect(), reconnectDelayMs(this.attempt++, Math.random()));
  }

  private dispatch(event: string | undefined, data: string): void {
    try {
      if (event === 'score') this.handlers.score(JSON.parse(data) as RiskScore);
      else if (event === 'alert') this.handlers.alert(JSON.parse(data) as AlertView);
      else if (event === 'reset') this.handlers.reset();
    } catch (err) {
      // One malformed event must not end the stream: it is skipped and logged.
      console.warn(`saferoads: skipped a ${event ?? 'message'} event`, err);
    }
  }
}

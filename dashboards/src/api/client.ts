import type { AlertView, Me, SegmentDetail, SegmentGeometryCollection, SegmentScores, StationCollection } from '../model/types.js';

/** An API answer other than 2xx, with the server's message (it names the field for a 400). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The alert API over fetch, the token in the Authorization header (never in a URL). */
export class ApiClient {
  constructor(
    private readonly token: string,
    private readonly base = '',
  ) {}

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown, cache?: RequestCache): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      ...(cache && { cache }),
      headers: { authorization: `Bearer ${this.token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) {
      let message = `${res.status} ${res.statusText}`;
      try {
        const e = (await res.json()) as { message?: string };
        if (e.message) message = e.message;
      } catch {
        // Not JSON: the status line says enough.
      }
      throw new ApiError(res.status, message);
    }
    return (await res.json()) as T;
  }

  me(): Promise<Me> {
    return this.request('GET', '/v1/me');
  }

  /**
   * The network without scores (megabytes for a national network). Revalidated on every load
   * (If-None-Match, from the browser's cache: a 304 when the network did not change), so a page
   * never draws an old network for the day the API lets the browser keep it.
   */
  geometry(): Promise<SegmentGeometryCollection> {
    return this.request('GET', '/v1/segments/geometry', undefined, 'no-cache');
  }

  /** Each segment's latest score by id, with the version of the network they belong to. */
  scores(): Promise<SegmentScores> {
    return this.request('GET', '/v1/segments/scores');
  }

  segment(segmentId: string, minutes = 60): Promise<SegmentDetail> {
    return this.request('GET', `/v1/segments/${encodeURIComponent(segmentId)}?minutes=${minutes}`);
  }

  stations(): Promise<StationCollection> {
    return this.request('GET', '/v1/weather/stations');
  }

  /** Every alert with one of `statuses`, page by page (the cursor is the API's keyset). */
  async alerts(statuses: readonly string[], maxPages = 10): Promise<AlertView[]> {
    const out: AlertView[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < maxPages; page++) {
      const q = new URLSearchParams({ status: statuses.join(','), limit: '500' });
      if (cursor) q.set('cursor', cursor);
      const r: { alerts: AlertView[]; nextCursor: string | null } = await this.request('GET', `/v1/alerts?${q.toString()}`);
      out.push(...r.alerts);
      cursor = r.nextCursor;
      if (!cursor) break;
    }
    return out;
  }

  acknowledge(alertId: string, note?: string): Promise<AlertView> {
    return this.request('POST', `/v1/alerts/${encodeURIComponent(alertId)}/acknowledge`, note ? { note } : {});
  }

  resolve(alertId: string, note?: string): Promise<AlertView> {
    return this.request('POST', `/v1/alerts/${encodeURIComponent(alertId)}/resolve`, note ? { note } : {});
  }
}

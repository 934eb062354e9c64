import { HttpError } from '@saferoads/shared/service';
import type { AlertCursor, AlertFilter, RiskLevel } from '../store/store.js';
import type { AlertsQuery, AlertStatus } from './schemas.js';

const bad = (field: string, reason: string) => new HttpError(400, `invalid query parameters: ${field} ${reason}`, { details: [{ field, reason }] });

/** Epoch ms or ISO 8601 (the schema has checked the form); the value must be a real time. */
export function parseTime(field: string, text: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isSafeInteger(ms)) throw bad(field, `is not a time: ${JSON.stringify(text)}`);
  // Date.parse rolls 2026-02-30 over into March: a date must exist as written.
  const ymd = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (ymd) {
    const [y, mo, d, h, mi, s] = ymd.slice(1).map((x) => Number(x ?? 0));
    const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth || h > 23 || mi > 59 || s > 59) throw bad(field, `is not a time: ${JSON.stringify(text)}`);
  }
  return ms;
}

export function encodeCursor(c: AlertCursor): string {
  return Buffer.from(JSON.stringify([c.raisedAtMs, c.levelRank, c.alertId]), 'utf8').toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function decodeCursor(text: string): AlertCursor {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw bad('cursor', 'is not a cursor this API gave out');
  }
  if (!Array.isArray(v) || v.length !== 3 || !Number.isSafeInteger(v[0]) || ![0, 1, 2, 3].includes(v[1] as number) || typeof v[2] !== 'string' || !UUID.test(v[2])) {
    throw bad('cursor', 'is not a cursor this API gave out');
  }
  return { raisedAtMs: v[0] as number, levelRank: v[1] as number, alertId: v[2] };
}

/**
 * GET /v1/alerts' query as a store filter. The schema has checked each parameter's form; this
 * checks what a pattern cannot: real times in order, a bounding box on the globe, a cursor of ours.
 */
export function alertFilter(q: AlertsQuery): AlertFilter {
  const fromMs = q.from === undefined ? undefined : parseTime('from', q.from);
  const toMs = q.to === undefined ? undefined : parseTime('to', q.to);
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) throw bad('to', 'must be after from');
  let bbox: [number, number, number, number] | undefined;
  if (q.bbox !== undefined) {
    const [minLon, minLat, maxLon, maxLat] = q.bbox.split(',').map(Number);
    if ([minLon, maxLon].some((x) => x < -180 || x > 180)) throw bad('bbox', 'longitudes must be within -180..180');
    if ([minLat, maxLat].some((x) => x < -90 || x > 90)) throw bad('bbox', 'latitudes must be within -90..90');
    if (minLon > maxLon || minLat > maxLat) throw bad('bbox', 'must be minLon,minLat,maxLon,maxLat with min <= max');
    bbox = [minLon, minLat, maxLon, maxLat];
  }
  return {
    ...(q.status !== undefined && { statuses: [...new Set(q.status.split(','))] as AlertStatus[] }),
    ...(q.level !== undefined && { levels: [...new Set(q.level.split(','))] as RiskLevel[] }),
    ...(fromMs !== undefined && { fromMs }),
    ...(toMs !== undefined && { toMs }),
    ...(bbox && { bbox }),
    ...(q.segmentId !== undefined && { segmentId: q.segmentId }),
    limit: q.limit,
    ...(q.cursor !== undefined && { after: decodeCursor(q.cursor) }),
  };
}

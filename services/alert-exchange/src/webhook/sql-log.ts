import type { DeliveryKey, DeliveryRecord, DeliveryResult, DeliveryStatus, NotificationLog } from './log.js';

/**
 * A parameterised query ($1, $2, ...) answering the rows: the alert API's `SqlQueryable.query`
 * (PGlite or pg), or `(text, params) => pool.query(text, params).then((r) => r.rows)` on a
 * node-postgres pool.
 */
export type SqlQuery = (text: string, params?: readonly unknown[]) => Promise<readonly Record<string, unknown>[]>;

/**
 * The table of NotificationLog on PostgreSQL, for the alert API's migration runner (one migration
 * of its own, e.g. `0002_alert_notifications.sql`). Times are epoch milliseconds in bigint.
 */
export const NOTIFICATION_LOG_MIGRATION_SQL = `CREATE TABLE IF NOT EXISTS alert_notifications (
  route_id text NOT NULL,
  event_id text NOT NULL,
  alert_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'exhausted')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  claimed_at_ms bigint NOT NULL,
  updated_at_ms bigint NOT NULL,
  delivered_at_ms bigint,
  PRIMARY KEY (route_id, event_id)
);
CREATE INDEX IF NOT EXISTS alert_notifications_alert_id ON alert_notifications (alert_id);
`;

// One statement, so two instances claiming the same delivery at once cannot both win: the insert
// or the conditional update takes the row lock, and only the winner gets a row back.
const CLAIM = `INSERT INTO alert_notifications (route_id, event_id, alert_id, status, attempts, claimed_at_ms, updated_at_ms)
VALUES ($1, $2, $3, 'pending', 0, $4, $4)
ON CONFLICT (route_id, event_id) DO UPDATE SET status = 'pending', claimed_at_ms = EXCLUDED.claimed_at_ms, updated_at_ms = EXCLUDED.updated_at_ms, delivered_at_ms = NULL
WHERE alert_notifications.status = 'exhausted' OR (alert_notifications.status = 'pending' AND alert_notifications.claimed_at_ms <= $5)
RETURNING route_id`;

const COMPLETE = `UPDATE alert_notifications
SET status = $3, attempts = attempts + $4, last_error = $5, updated_at_ms = $6, delivered_at_ms = CASE WHEN $3 = 'delivered' THEN $6::bigint ELSE NULL END
WHERE route_id = $1 AND event_id = $2`;

const GET = `SELECT route_id, event_id, alert_id, status, attempts, last_error, claimed_at_ms, updated_at_ms, delivered_at_ms
FROM alert_notifications WHERE route_id = $1 AND event_id = $2`;

function n(v: unknown): number {
  // pg answers bigint as a string unless told otherwise; PGlite as a number.
  return Number(v);
}

/** NotificationLog in PostgreSQL (a server through pg, or PGlite in-process): the same SQL in both. */
export class SqlNotificationLog implements NotificationLog {
  constructor(private readonly query: SqlQuery) {}

  async claim(key: DeliveryKey, nowMs: number, leaseMs: number): Promise<boolean> {
    const rows = await this.query(CLAIM, [key.routeId, key.eventId, key.alertId, nowMs, nowMs - leaseMs]);
    return rows.length === 1;
  }

  async complete(key: DeliveryKey, result: DeliveryResult, nowMs: number): Promise<void> {
    await this.query(COMPLETE, [key.routeId, key.eventId, result.status, result.attempts, result.error ?? null, nowMs]);
  }

  async get(routeId: string, eventId: string): Promise<DeliveryRecord | null> {
    const [r] = await this.query(GET, [routeId, eventId]);
    if (!r) return null;
    return {
      routeId: String(r.route_id),
      eventId: String(r.event_id),
      alertId: String(r.alert_id),
      status: r.status as DeliveryStatus,
      attempts: n(r.attempts),
      lastError: r.last_error === null ? null : String(r.last_error),
      claimedAtMs: n(r.claimed_at_ms),
      updatedAtMs: n(r.updated_at_ms),
      deliveredAtMs: r.delivered_at_ms === null ? null : n(r.delivered_at_ms),
    };
  }
}

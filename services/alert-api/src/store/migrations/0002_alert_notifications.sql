-- The webhook notifier's delivery log (@saferoads/alert-exchange, NOTIFICATION_LOG_MIGRATION_SQL): one row per
-- route and eventId, so a replay of risk.alerts or a restart sends no notification twice.
CREATE TABLE IF NOT EXISTS alert_notifications (
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

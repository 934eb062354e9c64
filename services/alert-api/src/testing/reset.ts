import type { SqlClient } from '../store/sql.js';

/** Every table of the store, emptied: tests share one migrated database and start each from nothing. */
export async function truncateAll(db: SqlClient): Promise<void> {
  await db.query('TRUNCATE alerts, alert_events, audit_log, latest_scores, score_history, stats_history, weather_latest, api_keys, alert_notifications, thresholds_versions RESTART IDENTITY');
}

import { PGlite } from '@electric-sql/pglite';
import { afterAll } from 'vitest';
import { MemoryNotificationLog } from './log.js';
import { notificationLogSuite } from './log-suite.js';
import { NOTIFICATION_LOG_MIGRATION_SQL, SqlNotificationLog } from './sql-log.js';

notificationLogSuite('memory', async () => new MemoryNotificationLog());

// One PGlite for the file (it takes seconds to start), emptied before each test.
let db: PGlite | undefined;
afterAll(async () => {
  await db?.close();
});

notificationLogSuite('PGlite', async () => {
  if (!db) {
    db = new PGlite();
    await db.exec(NOTIFICATION_LOG_MIGRATION_SQL);
  }
  await db.exec('TRUNCATE alert_notifications');
  const pg = db;
  return new SqlNotificationLog(async (text, params) => (await pg.query<Record<string, unknown>>(text, params ? [...params] : [])).rows);
});

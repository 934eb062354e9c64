import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import '../../../../test/postgres-server.js';
import { notificationLogSuite } from './log-suite.js';
import { NOTIFICATION_LOG_MIGRATION_SQL, SqlNotificationLog } from './sql-log.js';

// A database of its own on the real PostgreSQL server the integration setup started, through a
// plain node-postgres pool (bigint answered as strings, unlike PGlite: the log converts).
const admin = inject('postgresUrl');
const name = `int_alert_exchange_${randomBytes(4).toString('hex')}`;
let pool: pg.Pool | undefined;

async function adminQuery(text: string): Promise<void> {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

afterAll(async () => {
  await pool?.end();
  // A name of our own making (letters, digits, underscores): DDL cannot take it as a parameter.
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

notificationLogSuite('a PostgreSQL server (node-postgres)', async () => {
  if (!pool) {
    await adminQuery(`CREATE DATABASE ${name}`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    pool = new pg.Pool({ connectionString: url.toString(), max: 8 });
    await pool.query(NOTIFICATION_LOG_MIGRATION_SQL);
  }
  await pool.query('TRUNCATE alert_notifications');
  const p = pool;
  return new SqlNotificationLog(async (text, params) => (await p.query(text, params ? [...params] : [])).rows);
});

import { NOTIFICATION_LOG_MIGRATION_SQL } from '@saferoads/alert-exchange';
import { describe, expect, it } from 'vitest';
import { truncateAll } from '../testing/reset.js';
import { migrate, readMigrations } from './migrate.js';
import { openPglite } from './pglite.js';
import { PgAlertStore } from './pg-store.js';
import { storeSuite } from './store-suite.js';

storeSuite('PGlite', async () => {
  const db = await openPglite();
  return { store: await PgAlertStore.open(db), reset: () => truncateAll(db), db };
});

describe('migrations on PGlite', () => {
  it('apply once, record their version and checksum, and refuse a changed file', async () => {
    const db = await openPglite();
    try {
      const migrations = readMigrations();
      expect(migrations.map((m) => [m.version, m.name])).toEqual([
        [1, 'init'],
        [2, 'alert_notifications'],
        [3, 'thresholds'],
      ]);
      expect(await migrate(db, migrations)).toEqual({ applied: [1, 2, 3], current: 3 });
      expect(await migrate(db, migrations)).toEqual({ applied: [], current: 3 });
      const rows = await db.query<{ version: number; name: string; checksum: string }>('SELECT version, name, checksum FROM schema_migrations');
      expect(rows).toEqual([
        { version: 1, name: 'init', checksum: migrations[0].checksum },
        { version: 2, name: 'alert_notifications', checksum: migrations[1].checksum },
        { version: 3, name: 'thresholds', checksum: migrations[2].checksum },
      ]);
      const edited = [{ ...migrations[0], sql: `${migrations[0].sql}\n-- edited`, checksum: 'f'.repeat(64) }, ...migrations.slice(1)];
      await expect(migrate(db, edited)).rejects.toThrow('migration 1 (init) was changed after it was applied (checksum differs): add a new migration instead');
      await expect(migrate(db, migrations.slice(0, 2))).rejects.toThrow('the database has migration 3 (thresholds), which this version of the alert API does not know');
    } finally {
      await db.close();
    }
  });

  it('leave the database as it was when a migration fails', async () => {
    const db = await openPglite();
    try {
      const bad = [...readMigrations(), { version: 4, name: 'broken', sql: 'CREATE TABLE extra (x int); SELECT no_such_function();', checksum: 'x' }];
      await expect(migrate(db, bad)).rejects.toThrow(/no_such_function/);
      expect(await db.query("SELECT to_regclass('alerts') AS t, to_regclass('extra') AS e")).toEqual([{ t: null, e: null }]);
    } finally {
      await db.close();
    }
  });

  it('0002 is the webhook notifier\u2019s own table definition, word for word', () => {
    expect(readMigrations()[1].sql).toContain(NOTIFICATION_LOG_MIGRATION_SQL);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../testing/int-postgres.js';
import { truncateAll } from '../testing/reset.js';
import { migrate } from './migrate.js';
import { openPg } from './pg.js';
import { PgAlertStore } from './pg-store.js';
import { storeSuite } from './store-suite.js';

const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const d of drops.splice(0)) await d();
});

storeSuite('a PostgreSQL server', async () => {
  const { url, drop } = await freshDatabase('store');
  drops.push(drop);
  const db = await openPg({ connectionString: url, maxConnections: 4 });
  return { store: await PgAlertStore.open(db), reset: () => truncateAll(db), db };
});

describe('migrations on a PostgreSQL server', () => {
  it('run once when several instances start at the same time (advisory lock)', async () => {
    const { url, drop } = await freshDatabase('migrate');
    drops.push(drop);
    const dbs = await Promise.all([1, 2, 3].map(() => openPg({ connectionString: url, maxConnections: 2 })));
    try {
      const results = await Promise.all(dbs.map((db) => migrate(db)));
      expect(results.map((r) => r.applied.join(',')).sort()).toEqual(['', '', '1,2,3']);
      expect(await dbs[0].query('SELECT version, name FROM schema_migrations ORDER BY version')).toEqual([
        { version: 1, name: 'init' },
        { version: 2, name: 'alert_notifications' },
        { version: 3, name: 'thresholds' },
      ]);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
  });

  it('answers bigint columns as numbers, as PGlite does', async () => {
    const { url, drop } = await freshDatabase('types');
    drops.push(drop);
    const db = await openPg({ connectionString: url });
    try {
      expect(await db.query('SELECT 1773126000000::bigint AS t')).toEqual([{ t: 1_773_126_000_000 }]);
    } finally {
      await db.close();
    }
  });
});

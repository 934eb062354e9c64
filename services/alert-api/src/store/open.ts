import { openPg } from './pg.js';
import { openPglite } from './pglite.js';
import { PgAlertStore } from './pg-store.js';

export interface OpenStoreOptions {
  /** A PostgreSQL server; PGlite in this process when absent. */
  readonly databaseUrl?: string;
  /** PGlite's directory; in memory when absent. */
  readonly pgliteDir?: string;
  readonly maxConnections?: number;
}

/** The store the configuration names, migrated to the newest schema. */
export async function openStore(o: OpenStoreOptions): Promise<PgAlertStore> {
  const db = o.databaseUrl ? await openPg({ connectionString: o.databaseUrl, maxConnections: o.maxConnections }) : await openPglite({ dataDir: o.pgliteDir });
  try {
    return await PgAlertStore.open(db);
  } catch (err) {
    await db.close();
    throw err;
  }
}

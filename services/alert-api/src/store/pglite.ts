import { PGlite } from '@electric-sql/pglite';
import type { SqlClient, SqlQueryable } from './sql.js';

export interface PgliteOptions {
  /** A directory to keep the database in; in memory when absent (gone when the process ends). */
  readonly dataDir?: string;
}

/**
 * PostgreSQL compiled to WebAssembly, in this process: the embedded mode's database and the unit
 * tests'. One connection, so statements run one at a time (PGlite queues them).
 */
export async function openPglite(opts: PgliteOptions = {}): Promise<SqlClient> {
  const db = opts.dataDir ? new PGlite(opts.dataDir) : new PGlite();
  await db.waitReady;
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): SqlQueryable => ({
    query: async <R>(text: string, params: readonly unknown[] = []) => (await q.query<R>(text, [...params])).rows,
    exec: async (script) => {
      await q.exec(script);
    },
  });
  const base = wrap(db);
  return {
    ...base,
    describe: opts.dataDir ? `PGlite in ${opts.dataDir}` : 'PGlite in memory',
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    close: () => db.close(),
  };
}

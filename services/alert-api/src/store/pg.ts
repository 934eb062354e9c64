import pg from 'pg';
import { SaferoadsError } from '@saferoads/shared/errors';
import type { SqlClient, SqlQueryable } from './sql.js';

export interface PgOptions {
  /** postgres://user:password@host:port/database (libpq's URL form). */
  readonly connectionString: string;
  /** Connections in the pool. */
  readonly maxConnections?: number;
  readonly statementTimeoutMs?: number;
}

const INT8_OID = 20;
// Epoch milliseconds and counters: numbers, as PGlite gives them (pg would give strings).
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)),
} as unknown as pg.CustomTypesConfig;

/** The host, port and database of a connection string, for logs (never the password). */
export function describePg(connectionString: string): string {
  try {
    const u = new URL(connectionString);
    return `PostgreSQL ${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'PostgreSQL (connection string unreadable)';
  }
}

/** A PostgreSQL server through a pg pool; answers once a first connection succeeded. */
export async function openPg(opts: PgOptions): Promise<SqlClient> {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.maxConnections ?? 10,
    types,
    ...(opts.statementTimeoutMs && { statement_timeout: opts.statementTimeoutMs }),
  });
  // An idle client's error (the server restarted) would otherwise be an unhandled 'error' event.
  pool.on('error', () => undefined);
  const describe = describePg(opts.connectionString);
  try {
    (await pool.connect()).release();
  } catch (err) {
    await pool.end();
    throw new SaferoadsError('IO_FAILED', `cannot connect to ${describe}: ${(err as Error).message}`, { cause: err, retriable: true });
  }
  const wrap = (q: pg.Pool | pg.PoolClient): SqlQueryable => ({
    query: async <R>(text: string, params: readonly unknown[] = []) => (await q.query(text, [...params])).rows as R[],
    // Without parameters pg uses the simple query protocol, which runs several statements.
    exec: async (script) => {
      await q.query(script);
    },
  });
  return {
    ...wrap(pool),
    describe,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(wrap(client));
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

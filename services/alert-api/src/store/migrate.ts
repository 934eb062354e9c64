import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SaferoadsError } from '@saferoads/shared/errors';
import type { SqlClient } from './sql.js';

// From import.meta.url (not dirname): the CLI bundle rewrites the URL to this source file's.
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

/** `0001_init.sql` → version 1, name init. Files must be numbered 1, 2, 3, ... without gaps. */
export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const out = files.map((file, i) => {
    const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!m) throw new SaferoadsError('CONFIG_INVALID', `migration ${file}: the name must be NNNN_name.sql`);
    const version = Number(m[1]);
    if (version !== i + 1) throw new SaferoadsError('CONFIG_INVALID', `migration ${file}: expected version ${i + 1} (numbered without gaps)`);
    const sql = readFileSync(join(dir, file), 'utf8');
    return { version, name: m[2], sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
  return out;
}

export interface MigrationResult {
  readonly applied: readonly number[];
  readonly current: number;
}

// One number for every instance: pg_advisory_xact_lock makes concurrent starts migrate one at a time.
const LOCK_KEY = 0x5afe_0a1e;

/**
 * Brings the database to the newest migration: every pending file and its row in
 * schema_migrations in one transaction (PostgreSQL's DDL is transactional: a failing file leaves
 * the database as it was), under an advisory lock so two instances starting together do not both
 * apply it. A migration already applied whose file has changed (checksum) is refused:
 * the database no longer matches what the code expects, and silently going on would hide it.
 */
export async function migrate(db: SqlClient, migrations: readonly Migration[] = readMigrations()): Promise<MigrationResult> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    // Under the lock too: two concurrent CREATE TABLE IF NOT EXISTS can both try to create it.
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = await tx.query<{ version: number; name: string; checksum: string }>('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
    const known = new Map(migrations.map((m) => [m.version, m]));
    for (const row of done) {
      const m = known.get(row.version);
      if (!m) throw new SaferoadsError('STATE_CORRUPT', `the database has migration ${row.version} (${row.name}), which this version of the alert API does not know: it was written by a newer one`);
      if (m.checksum !== row.checksum) throw new SaferoadsError('STATE_CORRUPT', `migration ${row.version} (${row.name}) was changed after it was applied (checksum differs): add a new migration instead`);
    }
    const have = new Set(done.map((r) => r.version));
    const applied: number[] = [];
    for (const m of migrations) {
      if (have.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
      applied.push(m.version);
    }
    return { applied, current: migrations.length === 0 ? 0 : migrations[migrations.length - 1].version };
  });
}

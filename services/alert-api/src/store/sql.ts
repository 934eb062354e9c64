/**
 * What the store needs of a PostgreSQL connection: parameterised queries and transactions. Two
 * implementations run the same SQL: PGlite in-process (`pglite.ts`) and a server through pg
 * (`pg.ts`). bigint columns come back as numbers in both (epoch milliseconds fit a double).
 */
export interface SqlQueryable {
  /** Runs one statement; `params` are bound ($1, $2, ...), never spliced into the text. */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface SqlClient extends SqlQueryable {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** A description for logs, without credentials. */
  readonly describe: string;
  close(): Promise<void>;
}

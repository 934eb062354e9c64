import { afterEach } from 'vitest';

/**
 * For a test file: a `start` that builds something (a test app, a feed), each closed after its
 * test (vitest afterEach), so no test leaks a server, a bus or a consumer into the next.
 */
export function perTest<O, T>(start: (opts: O) => Promise<T>, close: (t: T) => Promise<void>): (opts: O) => Promise<T> {
  let current: T[] = [];
  afterEach(async () => {
    const open = current;
    current = [];
    for (const t of open) await close(t);
  });
  return async (opts) => {
    const t = await start(opts);
    current.push(t);
    return t;
  };
}

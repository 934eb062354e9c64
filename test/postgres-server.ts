/**
 * The integration tests' PostgreSQL server: a throwaway cluster that scripts/postgres/start.sh
 * starts once per run on a free port, with a fresh directory, and stop.sh removes at the end.
 *
 *   PG_INT_URL=postgres://...   use that server instead (nothing is started or stopped); tests
 *                               create and drop databases of their own on it
 *
 * Several runs on one machine each claim a port with an exclusive claim file, as the Kafka broker does.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The integration tests' PostgreSQL server (a maintenance database URL: tests create their own databases). */
    postgresUrl: string;
  }
}

const root = join(import.meta.dirname, '..');
const claims = join(root, '.pgdata', 'int-claims');

function run(script: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; stdout: string; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(root, 'scripts', 'postgres', script), args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()), (output += d.toString())));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('close', (code) => (clearTimeout(timer), resolve({ code, stdout, output })));
    child.on('error', (err) => (clearTimeout(timer), resolve({ code: null, stdout, output: `${output}\n${err.message}` })));
  });
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const envFor = (port: number): NodeJS.ProcessEnv => ({ ...process.env, PG_PORT: String(port), PG_DIR: join(root, '.pgdata', 'int', String(port)) });

/** Starts the test server (or takes PG_INT_URL); answers its URL and how to stop it. */
export async function startIntPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  const external = process.env.PG_INT_URL;
  if (external) return { url: external, stop: async () => undefined };
  mkdirSync(claims, { recursive: true });
  for (let i = 0; i < 20; i++) {
    const port = 56_432 + i;
    const file = join(claims, String(port));
    if (existsSync(file)) {
      const owner = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) continue;
      await run('stop.sh', ['--wipe'], envFor(port), 60_000);
      rmSync(file, { force: true });
    }
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch {
      continue;
    }
    writeSync(fd, String(process.pid));
    closeSync(fd);
    const release = () => rmSync(file, { force: true });
    if (!(await portFree(port))) {
      release();
      continue;
    }
    const started = Date.now();
    const start = await run('start.sh', ['--fresh'], envFor(port), 120_000);
    if (start.code !== 0) {
      await run('stop.sh', ['--wipe'], envFor(port), 60_000);
      release();
      throw new Error(`the integration-test PostgreSQL did not start on 127.0.0.1:${port} (start.sh exit ${start.code}):\n${start.output}`);
    }
    const url = start.stdout.trim().split('\n').pop() ?? '';
    console.log(`[int] PostgreSQL ready on 127.0.0.1:${port} after ${Date.now() - started} ms`);
    return {
      url,
      stop: async () => {
        const stop = await run('stop.sh', ['--wipe'], envFor(port), 60_000);
        if (stop.code !== 0) console.error(`[int] stopping PostgreSQL on port ${port} failed:\n${stop.output}`);
        release();
      },
    };
  }
  throw new Error('no free port for the integration-test PostgreSQL among 56432-56451 (or set PG_INT_URL)');
}

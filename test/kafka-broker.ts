/**
 * The integration tests' broker as a process: how the global setup starts and stops it, and how
 * a test restarts it (a broker restart in the middle of a run), with the same environment.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..');
export const workDir = process.env.KAFKA_WORK_DIR ?? join(root, '.kafka');
/** The broker's group.min.session.timeout.ms: short, so tests see rebalances quickly. */
export const MIN_SESSION_TIMEOUT_MS = 1_000;

export interface Run {
  readonly code: number | null;
  readonly output: string;
}

/** Runs one of scripts/kafka/*.sh. */
export function runKafkaScript(script: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(join(root, 'scripts', 'kafka', script), args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, output: `${output}\n${err.message}` });
    });
  });
}

/** The environment the broker scripts get for a test broker on `port`. */
export function brokerEnv(port: number): NodeJS.ProcessEnv {
  // Short group session timeouts let the heartbeat test show a long batch outliving one quickly.
  const extra = [`group.min.session.timeout.ms=${MIN_SESSION_TIMEOUT_MS}`, process.env.KAFKA_EXTRA_PROPERTIES ?? ''].join('\n');
  // The data dir is set explicitly: a KAFKA_DATA_DIR exported for a dev broker must never be wiped by --fresh.
  return { ...process.env, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(port + 1), KAFKA_DATA_DIR: dataDir(port), KAFKA_EXTRA_PROPERTIES: extra };
}

export function dataDir(port: number): string {
  return join(workDir, 'data', String(port));
}


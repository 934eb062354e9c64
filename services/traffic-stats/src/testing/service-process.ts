import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const MAIN = join(import.meta.dirname, '..', 'main.ts');
const ARTIFACTS = join(import.meta.dirname, '../../../../artifacts');

/**
 * The traffic-stats service as its own process, under a test's control: started, killed with
 * SIGKILL (no shutdown of any kind), started again. Its output goes to artifacts/<logName>.log.
 */
export class StatsServiceProcess {
  private child: ChildProcess | null = null;
  private exits: Promise<number | null> = Promise.resolve(null);
  starts = 0;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly logName: string,
  ) {
    mkdirSync(ARTIFACTS, { recursive: true });
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    if (this.running) throw new Error('the service is already running');
    const log = createWriteStream(join(ARTIFACTS, `${this.logName}.log`), { flags: 'a' });
    log.write(`--- start ${++this.starts} at ${new Date().toISOString()} ---\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    this.exits = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.child = child;
  }

  /** kill -9: the process ends wherever it is, mid-batch or mid-transaction. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child?.kill('SIGKILL');
    await this.exits;
  }

  /** SIGTERM, the graceful way; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (!this.running) return this.child?.exitCode ?? null;
    this.child?.kill('SIGTERM');
    return this.exits;
  }

  /** Resolves when the process ends by itself (it exits when it cannot go on, e.g. the broker is gone too long). */
  exited(): Promise<number | null> {
    return this.exits;
  }
}

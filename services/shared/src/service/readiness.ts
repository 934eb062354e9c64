import { SaferoadsError } from '../errors.js';

/** Resolves when its dependency is ready; throws (or rejects) with the reason when it is not. */
export type ReadinessCheck = () => void | Promise<void>;

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly reason?: string;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

/**
 * The named checks behind `GET /readyz`. A check that hangs fails after its timeout, so a probe
 * always gets an answer; a check still running from the previous probe is awaited, not started
 * again, so a slow dependency is not flooded with probes.
 */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly running = new Map<string, Promise<CheckResult>>();
  private stopping = false;

  constructor(private readonly timeoutMs: number = DEFAULT_CHECK_TIMEOUT_MS) {}

  add(name: string, check: ReadinessCheck): this {
    if (this.checks.has(name)) throw new SaferoadsError('STATE_INVARIANT', `readiness check ${name} is already registered`);
    this.checks.set(name, check);
    return this;
  }

  /**
   * From now on the service reports not ready, so load balancers stop routing to it while it
   * finishes the requests it has (called first thing in a graceful shutdown).
   */
  markStopping(): void {
    this.stopping = true;
  }

  /** Every check's result, in registration order. */
  async evaluate(): Promise<readonly CheckResult[]> {
    if (this.stopping) return [{ name: 'shutdown', ok: false, reason: 'the service is shutting down' }];
    return Promise.all([...this.checks.keys()].map((name) => this.run(name)));
  }

  private run(name: string): Promise<CheckResult> {
    let p = this.running.get(name);
    if (!p) {
      p = this.withTimeout(name).finally(() => this.running.delete(name));
      this.running.set(name, p);
    }
    return p;
  }

  private async withTimeout(name: string): Promise<CheckResult> {
    const check = this.checks.get(name) as ReadinessCheck;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      await Promise.race([Promise.resolve().then(check), timeout]);
      return { name, ok: true };
    } catch (err) {
      return { name, ok: false, reason: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** What the Kafka integration tests share: the broker the global setup started, and quick clients for it. */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, inject } from 'vitest';
import { createLogger, type Logger } from '../logger.js';
import type { KafkaBusConfigInput } from './kafka-config.js';
import { KafkaBus } from './kafka.js';
import type { BusConsumer } from './port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    kafkaMinSessionTimeoutMs: number;
    kafkaPort: number;
  }
}

export function intBrokers(): string[] {
  return inject('kafkaBrokers').split(',');
}

/** Port of the broker the global setup started (tests may restart it), or 0 when it is an external one. */
export function intBrokerPort(): number {
  return inject('kafkaPort');
}

/** The shortest consumer session timeout the test broker accepts. */
export function intMinSessionTimeoutMs(): number {
  return inject('kafkaMinSessionTimeoutMs');
}

const run = randomBytes(3).toString('hex');
let seq = 0;

/** A topic or group name no other test (of this run or an earlier one on the same broker) uses. */
export function freshName(label: string): string {
  return `int-${label}-${run}-${++seq}`;
}

let shared: Logger | null = null;
/** kafkajs is chatty about retried errors: its lines go to artifacts/kafka-int.log, not the test output. */
export function intLogger(): Logger {
  if (!shared) {
    const dir = join(import.meta.dirname, '../../../../artifacts');
    mkdirSync(dir, { recursive: true });
    shared = createLogger('kafka-int', { level: process.env.LOG_LEVEL ?? 'info', destination: createWriteStream(join(dir, 'kafka-int.log'), { flags: 'a' }) });
  }
  return shared;
}

/**
 * A bus on the test broker, tuned for quick tests: a short fetch wait (stop() waits for the fetch
 * in flight) and frequent heartbeats (a rebalance is noticed within one).
 */
export function intBus(overrides: Partial<KafkaBusConfigInput> = {}, logger: Logger = intLogger()): KafkaBus {
  return new KafkaBus(
    { brokers: intBrokers(), clientId: 'saferoads-int', allowTopicCreation: true, fetchMaxWaitMs: 100, heartbeatIntervalMs: 300, sessionTimeoutMs: 10_000, ...overrides },
    { logger },
  );
}

/** Polls `cond`; ends early with the consumer's error when `run` (its run() promise) rejects meanwhile. */
export async function waitFor(cond: () => boolean | Promise<boolean>, ms: number, what: string, run?: Promise<void>): Promise<void> {
  let failure: { error: unknown } | null = null;
  run?.catch((error: unknown) => {
    failure = { error };
  });
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (failure) throw (failure as { error: unknown }).error;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * For a describe block: buses and consumers made through it are closed after each test,
 * consumers first (they commit through their bus), so no test leaves a client to the next.
 */
export function intClientsPerTest() {
  const buses: KafkaBus[] = [];
  const consumers: BusConsumer[] = [];
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
    await Promise.all(buses.splice(0).map((b) => b.close()));
  });
  return {
    bus(...args: Parameters<typeof intBus>): KafkaBus {
      const b = intBus(...args);
      buses.push(b);
      return b;
    },
    consumer<C extends BusConsumer>(c: C): C {
      consumers.push(c);
      return c;
    },
  };
}

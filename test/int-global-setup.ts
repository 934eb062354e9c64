/**
 * Integration tests run against a real Apache Kafka broker (scripts/kafka, docs/kafka-broker.md),
 * started here once per run on a port of its own with a fresh data dir, and stopped at the end.
 *
 *   KAFKA_INT_BROKERS=host:port   use that broker instead (nothing is started or stopped); its
 *                                 group.min.session.timeout.ms is taken to be Kafka's default 6000,
 *                                 or KAFKA_INT_MIN_SESSION_TIMEOUT_MS
 *   KAFKA_INT_PORT=19092          pin the port (default: the first free of 19092, 19192, ...)
 *
 * Several runs on one machine (other engineers, the same work tree) each claim a port with an
 * exclusive claim file, so no run wipes or stops another run's broker.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { MIN_SESSION_TIMEOUT_MS, brokerEnv, dataDir, runKafkaScript, workDir } from './kafka-broker.js';
import { startIntPostgres } from './postgres-server.js';

const claims = join(workDir, 'int-claims');

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    /** The broker's group.min.session.timeout.ms: the shortest session a test consumer may ask for. */
    kafkaMinSessionTimeoutMs: number;
    /** Port of the broker this run started (tests may restart it), or 0 for an external one. */
    kafkaPort: number;
  }
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

/**
 * Claims a port (and port+1, KRaft's controller): its claim file is created exclusively, and both
 * ports must be free. A claim left by a killed run is taken over, after stopping its broker.
 */
async function claimPort(): Promise<{ port: number; release: () => void }> {
  mkdirSync(claims, { recursive: true });
  const candidates = process.env.KAFKA_INT_PORT ? [Number(process.env.KAFKA_INT_PORT)] : Array.from({ length: 20 }, (_, i) => 19_092 + 100 * i);
  for (const port of candidates) {
    const file = join(claims, String(port));
    if (existsSync(file)) {
      const owner = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) continue;
      await runKafkaScript('stop.sh', [], brokerEnv(port), 60_000);
      rmSync(file, { force: true });
    }
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch {
      continue; // another run claimed it just now
    }
    writeSync(fd, String(process.pid));
    closeSync(fd);
    const release = () => rmSync(file, { force: true });
    // Someone else's broker (or any program) on these ports is left alone.
    if ((await portFree(port)) && (await portFree(port + 1))) return { port, release };
    release();
  }
  throw new Error(`no free port for the integration-test broker among ${candidates.join(', ')} (set KAFKA_INT_PORT or KAFKA_INT_BROKERS)`);
}

function logTail(port: number): string {
  const file = join(workDir, 'logs', String(port), 'server.log');
  if (!existsSync(file)) return '(no server.log)';
  return readFileSync(file, 'utf8').split('\n').slice(-40).join('\n');
}

async function setupKafka(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.KAFKA_INT_BROKERS;
  if (external) {
    project.provide('kafkaBrokers', external);
    project.provide('kafkaMinSessionTimeoutMs', Number(process.env.KAFKA_INT_MIN_SESSION_TIMEOUT_MS ?? 6_000));
    project.provide('kafkaPort', 0);
    return async () => undefined;
  }
  const { port, release } = await claimPort();
  const env = brokerEnv(port);
  const started = Date.now();
  // fetch.sh (Maven, the first time) + a fresh format + the JVM start.
  const start = await runKafkaScript('start.sh', ['--fresh'], env, 240_000);
  if (start.code !== 0) {
    await runKafkaScript('stop.sh', [], env, 60_000);
    release();
    // start.sh prints the log tails when the broker fails; not when start.sh itself failed or hung.
    const tail = start.output.includes('--- tail of') ? '' : `\n--- tail of .kafka/logs/${port}/server.log ---\n${logTail(port)}`;
    throw new Error(`the integration-test Kafka broker did not start on 127.0.0.1:${port} (start.sh exit ${start.code}):\n${start.output}${tail}`);
  }
  console.log(`[int] Kafka broker ready on 127.0.0.1:${port} after ${Date.now() - started} ms`);
  project.provide('kafkaBrokers', `127.0.0.1:${port}`);
  project.provide('kafkaMinSessionTimeoutMs', MIN_SESSION_TIMEOUT_MS);
  project.provide('kafkaPort', port);

  return async () => {
    const stop = await runKafkaScript('stop.sh', [], env, 60_000);
    // The data of a test broker is thrown away (its logs stay in .kafka/logs/<port>).
    if (stop.code === 0) rmSync(dataDir(port), { recursive: true, force: true });
    else console.error(`[int] stopping the Kafka broker on port ${port} failed:\n${stop.output}`);
    release();
  };
}

/** A real PostgreSQL server (test/postgres-server.ts) beside the broker: the alert API's store runs against it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const postgres = await startIntPostgres();
  project.provide('postgresUrl', postgres.url);
  let stopKafka: () => Promise<void>;
  try {
    stopKafka = await setupKafka(project);
  } catch (err) {
    await postgres.stop();
    throw err;
  }
  return async () => {
    await stopKafka();
    await postgres.stop();
  };
}

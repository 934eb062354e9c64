/** What the target tests share: simulated batches of the bundled network and the gateway on a real port. */
import type { Bus, InProcessBus } from '@saferoads/shared/bus';
import type { CommanderError } from 'commander';
import { loadNetwork, type Network } from '@saferoads/shared/network';
import { TOPICS } from '@saferoads/shared/topics';
import { simulateCommand } from '../../../../cli/commands/simulate.js';
import { startTestApp, readTopic, type ReadRecord, type TestApp } from '../../../../services/loop-ingest/src/testing/harness.js';
import { detectionLine } from '../ndjson.js';
import { LoopSimulator } from '../simulator.js';
import type { DetectionBatch } from '../types.js';

/** A Tuesday 07:50 local: busy enough that each 5 s step holds about a hundred records. */
export const START = Date.parse('2026-03-10T06:50:00Z');

let bundled: Network | undefined;
/** The bundled A13 network, the gateway's default. */
export function a13(): Network {
  bundled ??= loadNetwork();
  return bundled;
}

export function simulateA13(minutes: number, network: Network = a13()): DetectionBatch[] {
  return [...new LoopSimulator({ network, seed: 7, startMs: START, minutes }).batches()];
}

export async function* from<T>(xs: readonly T[]): AsyncGenerator<T> {
  yield* xs;
}

/** Per key (segment), the values in the order they were simulated. */
export function linesBySegment(batches: readonly DetectionBatch[], network: Network = a13()): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const b of batches) {
    for (const d of b.detections) {
      const key = network.detectors.get(d.detectorId)!.segmentId;
      const list = out.get(key) ?? [];
      list.push(detectionLine(d));
      out.set(key, list);
    }
  }
  return out;
}

/** Per key, the values in topic order (each key lives on one partition, read in offset order). */
export function valuesByKey(records: readonly { key: string | null; value: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of records) {
    const list = out.get(r.key ?? '(null)') ?? [];
    list.push(r.value);
    out.set(r.key ?? '(null)', list);
  }
  return out;
}

export interface Gateway extends TestApp {
  /** The gateway's POST /v1/detections URL on an ephemeral 127.0.0.1 port. */
  readonly endpoint: string;
  detections(): Promise<ReadRecord[]>;
}

/** The real loop ingest gateway over an in-process bus, listening on an ephemeral port. */
export async function startGateway(opts: { env?: Record<string, string>; wrap?: (bus: InProcessBus) => Bus } = {}): Promise<Gateway> {
  const t = await startTestApp(opts);
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  return { ...t, endpoint: `${address}/v1/detections`, detections: () => readTopic(t.bus, TOPICS.detections) };
}

/** Runs `saferoads simulate` in-process; returns the exit code commander would use and stderr. */
export async function runCli(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const cmd = simulateCommand()
    .exitOverride()
    .configureOutput({ writeErr: (s) => (err += s), writeOut: () => {} });
  try {
    await cmd.parseAsync(args, { from: 'user' });
    return { code: 0, err };
  } catch (e) {
    return { code: (e as CommanderError).exitCode, err };
  }
}

import type { Writable } from 'node:stream';
import type { KafkaBusConfig } from '@saferoads/shared/bus';
import { ConfigError } from '@saferoads/shared/errors';
import { createLogger } from '@saferoads/shared/logger';
import type { RecordFormat } from '../targets/format.js';
import { HttpSink } from '../targets/http-sink.js';
import { kafkaTargetConfig, openKafkaSink } from '../targets/kafka-sink.js';
import { NdjsonSink } from '../targets/ndjson-sink.js';
import type { RecordSink } from '../targets/sink.js';
import type { TargetSpec } from '../targets/url.js';
import { OptionError } from './options.js';
import { openOutput } from './output.js';

/** Where a simulator's records go, checked before the run: a bad option never gets as far as a connection. */
export type Destination =
  | { readonly kind: 'ndjson'; readonly out: Writable; readonly name: string }
  | { readonly kind: 'http'; readonly endpoint: string }
  /** Brokers from the URL, the rest from KAFKA_* variables. */
  | { readonly kind: 'kafka'; readonly config: KafkaBusConfig };

/** The destination of a target (or of NDJSON to `out`, stdout when absent); the option names go into errors. */
export function destinationOf(target: TargetSpec | undefined, out: string | undefined, options: { out: string; target: string } = { out: '--out', target: '--target' }): Destination {
  if (target === undefined) return { kind: 'ndjson', out: openOutput(out, options.out), name: out ?? 'stdout' };
  if (target.kind === 'http') return target;
  try {
    return { kind: 'kafka', config: kafkaTargetConfig(target.brokers, process.env) };
  } catch (err) {
    if (err instanceof ConfigError) throw new OptionError(options.target, err.message);
    throw err;
  }
}

export interface SinkSettings {
  /** Most records per request (http) or producer send (kafka). */
  readonly batchSize: number;
  readonly concurrency: number;
  readonly attempts: number;
  /** Paced output (speed > 0) writes every batch as it is released. */
  readonly paced: boolean;
  /** Told about each http retry. */
  readonly onRetry: (message: string) => void;
}

/** Opens the sink of a destination for records of `format`, produced to `topic` on a kafka target. */
export async function openSink<B, T>(dest: Destination, format: RecordFormat<B, T>, topic: string, s: SinkSettings): Promise<RecordSink<B>> {
  switch (dest.kind) {
    case 'ndjson':
      return new NdjsonSink<B, T>(dest.out, { name: dest.name, flushEachBatch: s.paced, end: dest.out !== process.stdout }, format);
    case 'http':
      return new HttpSink<B, T>({ endpoint: dest.endpoint, format, batchSize: s.batchSize, concurrency: s.concurrency, attempts: s.attempts, onRetry: s.onRetry });
    case 'kafka': {
      // kafkajs logs every failed connection attempt as JSON; our error message carries the cause.
      // LOG_LEVEL=warn (or debug) shows those lines when a person wants them.
      const logger = createLogger('saferoads-simulate', { level: process.env.LOG_LEVEL ?? 'silent' });
      return openKafkaSink<B, T>({ config: dest.config, topic, format, batchSize: s.batchSize, logger });
    }
  }
}

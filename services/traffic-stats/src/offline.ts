import type { Readable, Writable } from 'node:stream';
import { DetectionDecoder, encodeTrafficStatsInto, maxTrafficStatsBytes } from '@saferoads/shared/contracts';
import { ByteChunkWriter, NdjsonWriter, forEachLineBytes } from '@saferoads/shared/io';
import type { FieldError } from '@saferoads/shared/contracts';
import type { Network } from '@saferoads/shared/network';
import type { TrafficStatsConfig } from './config.js';
import { TrafficStatsStage, type StageCounters } from './stage.js';

export interface OfflineStatsOptions {
  readonly network: Network;
  readonly input: Readable;
  readonly output: Writable;
  readonly config?: Partial<TrafficStatsConfig>;
  /** Receives every refused line with its reasons (a dead-letter file). */
  readonly deadLetters?: Writable;
  /** Receives every late detection, as the service's late topic would. */
  readonly lateOut?: Writable;
}

export interface OfflineStatsReport extends StageCounters {
  lines: number;
  invalid: number;
  records: number;
}

/**
 * `saferoads stats`: detections NDJSON in, closed-window stats NDJSON out, through the same stage
 * the traffic-stats service runs. Invalid lines never stop the run: they are counted and, when a
 * dead-letter destination is given, written there with their reasons.
 */
export async function runOfflineStats(opts: OfflineStatsOptions): Promise<OfflineStatsReport> {
  // Lines are read as bytes, and decoded from them without JSON.parse when they have the usual
  // shape (DetectionDecoder); records are written straight into bytes. Decoding every byte into
  // strings, parsing them as general JSON and building the output from strings cost more than the
  // statistics (see docs/benchmarks.md).
  const out = new ByteChunkWriter(opts.output);
  const dlq = opts.deadLetters ? new NdjsonWriter(opts.deadLetters) : null;
  const lateOut = opts.lateOut ? new NdjsonWriter(opts.lateOut) : null;
  const decoder = new DetectionDecoder();
  let records = 0;
  let invalid = 0;
  let pending = false;
  const deadLetter = (lineNo: number, errors: FieldError[], raw: string) => {
    invalid++;
    if (dlq?.write({ line: lineNo, errors, raw })) pending = true;
  };
  // The line being processed, for a dead letter the stage refuses it with.
  let currentLine = 0;
  let current: Buffer = Buffer.alloc(0);
  let currentStart = 0;
  let currentEnd = 0;
  const stage = new TrafficStatsStage({
    network: opts.network,
    config: opts.config,
    sink: {
      stats: (r) => {
        records++;
        if (out.room(maxTrafficStatsBytes(r) + 1)) pending = true;
        const end = encodeTrafficStatsInto(r, out.buf, out.pos);
        out.buf[end] = NEWLINE;
        out.pos = end + 1;
      },
      late: (d) => {
        if (lateOut?.write(d)) pending = true;
      },
      rejected: (_d, errors) => deadLetter(currentLine, errors, current.toString('utf8', currentStart, currentEnd)),
    },
  });

  const lines = await forEachLineBytes(opts.input, (bytes, start, end, lineNo) => {
    if (end === start || (end === start + 1 && bytes[start] === CR)) return;
    const r = decoder.decode(bytes, start, end);
    if (!r.ok) {
      deadLetter(lineNo, r.errors, bytes.toString('utf8', start, end));
      return;
    }
    currentLine = lineNo;
    current = bytes;
    currentStart = start;
    currentEnd = end;
    stage.process(r.value, 0);
  }, async () => {
    if (!pending) return;
    pending = false;
    await Promise.all([out.drain(), dlq?.drain(), lateOut?.drain()]);
  });
  stage.flush();
  await Promise.all([out.end(), dlq?.end(), lateOut?.end()]);
  return { ...stage.counters, lines, invalid, records };
}

const NEWLINE = 0x0a;
const CR = 0x0d;

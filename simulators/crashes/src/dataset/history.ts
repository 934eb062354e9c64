import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { CONTEXT_FEATURE_COUNT, ContextFeatureAssembler, InMemoryWeatherTable } from '@saferoads/context';
import { FeatureRowBuilder, type FeatureSpec, type WindowRecords } from '@saferoads/model-spec';
import {
  formatFieldErrors,
  trafficStatsValidator,
  weatherObservationValidator,
  type TrafficStats,
  type Validation,
  type WeatherObservation,
} from '@saferoads/shared/contracts';
import type { Network } from '@saferoads/shared/network';
import { csvText, formatFeature, KEY_COLUMNS } from './csv.js';

const MINUTE_MS = 60_000;

export type RecordFormat = 'ndjson' | 'csv';

/** A file's format from its name: .csv (or .csv.gz) is CSV with a header, anything else NDJSON. */
export function formatOf(path: string): RecordFormat {
  return /\.csv(\.gz)?$/i.test(path) ? 'csv' : 'ndjson';
}

export interface HistoryOptions {
  readonly network: Network;
  readonly spec: FeatureSpec;
  /** Traffic-stats records (docs/traffic-stats.md), ordered by window end within `reorderMinutes`. */
  readonly stats: Readable;
  readonly statsFormat: RecordFormat;
  /** Weather observations ordered by time (the weather-ingest contract), when there are any. */
  readonly weather?: Readable;
  readonly weatherFormat?: RecordFormat;
  readonly out: Writable;
  /** How far behind the newest window end a record may arrive and still be used (default 2). */
  readonly reorderMinutes?: number;
}

export interface HistoryReport {
  /** Stats lines read (header and blank lines not counted). */
  statsRecords: number;
  weatherRecords: number;
  /** Records refused: not valid against their contract, or on a segment the network does not have. */
  invalid: number;
  /** Records whose minute had already been written: too far out of order. */
  outOfOrder: number;
  minutes: number;
  rows: number;
  /** The first few refusals, with line numbers and reasons. */
  problems: string[];
}

/** The lines of a byte stream, pulled one at a time. */
async function* lines(input: Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of input) {
    rest += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    let nl: number;
    while ((nl = rest.indexOf('\n')) !== -1) {
      yield rest.slice(0, nl).replace(/\r$/, '');
      rest = rest.slice(nl + 1);
    }
  }
  rest += decoder.end();
  if (rest.length > 0) yield rest.replace(/\r$/, '');
}

/** One CSV line's fields (RFC 4180 quotes). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q === -1) throw new SyntaxError('unterminated quoted field');
        v += line.slice(i, q);
        if (line[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(v);
      if (i >= line.length) return out;
      if (line[i] !== ',') throw new SyntaxError(`unexpected character after a quoted field at ${i}`);
      i++;
    } else {
      const c = line.indexOf(',', i);
      if (c === -1) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, c));
      i = c + 1;
    }
  }
}

const STRING_FIELDS = new Set(['segmentId', 'window', 'stationId', 'precipitationType', 'roadSurfaceState']);

/**
 * Records of a typed stream, each checked against its contract: NDJSON lines as they are, CSV
 * rows by their header (empty cells are null for stats, absent for optional weather fields;
 * numbers are numbers).
 */
async function* records<T>(input: Readable, format: RecordFormat, check: (v: unknown) => Validation<T>, emptyAs: 'null' | 'absent'): AsyncGenerator<{ line: number; result: Validation<T> }> {
  let header: string[] | null = null;
  let n = 0;
  for await (const line of lines(input)) {
    n++;
    if (line.trim() === '') continue;
    if (format === 'ndjson') {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (err) {
        yield { line: n, result: { ok: false, errors: [{ field: '(record)', reason: `not JSON: ${(err as Error).message}` }] } };
        continue;
      }
      yield { line: n, result: check(json) };
      continue;
    }
    let cells: string[];
    try {
      cells = splitCsvLine(line);
    } catch (err) {
      yield { line: n, result: { ok: false, errors: [{ field: '(record)', reason: `not CSV: ${(err as Error).message}` }] } };
      continue;
    }
    if (header === null) {
      header = cells.map((c) => c.trim());
      continue;
    }
    const rec: Record<string, unknown> = {};
    header.forEach((name, k) => {
      const cell = cells[k] ?? '';
      if (cell === '') {
        if (emptyAs === 'null') rec[name] = null;
      } else if (STRING_FIELDS.has(name)) rec[name] = cell;
      else rec[name] = Number(cell);
    });
    yield { line: n, result: check(rec) };
  }
}

const statsCheck = (v: unknown) => trafficStatsValidator.check(v);
const weatherCheck = (v: unknown) => weatherObservationValidator.check(v);

/**
 * A road authority's recorded traffic statistics (and weather) as model rows: the same
 * FeatureRowBuilder and context features as the scorer and the simulated data, one row per
 * segment with a 1-minute record per minute, written as CSV (`run` "history", `segmentId`,
 * `windowEndMs`, the spec's features). Labels come from the crash records, in the training
 * pipeline. Bad records never stop the run: they are counted and the first few reported.
 */
export async function historyFeatures(o: HistoryOptions): Promise<HistoryReport> {
  const { network, spec } = o;
  const reorder = (o.reorderMinutes ?? 2) * MINUTE_MS;
  const n = network.segments.length;
  const indexOf = new Map(network.segments.map((s, i) => [s.id, i]));
  const known = (ids: readonly string[]) => ids.map((id) => indexOf.get(id)).filter((i): i is number => i !== undefined);
  const up = network.segments.map((s) => known(s.upstream));
  const down = network.segments.map((s) => known(s.downstream));
  const builder = new FeatureRowBuilder(spec);
  const assembler = new ContextFeatureAssembler(network);
  const table = new InMemoryWeatherTable();
  const context = new Float64Array(CONTEXT_FEATURE_COUNT);
  const features = new Float32Array(builder.width);
  const report: HistoryReport = { statsRecords: 0, weatherRecords: 0, invalid: 0, outOfOrder: 0, minutes: 0, rows: 0, problems: [] };
  const refuse = (what: string, line: number, reason: string) => {
    report.invalid++;
    if (report.problems.length < 10) report.problems.push(`${what} line ${line}: ${reason}`);
  };

  const weather = o.weather ? records<WeatherObservation>(o.weather, o.weatherFormat ?? 'ndjson', weatherCheck, 'absent') : null;
  let pending: WeatherObservation | null = null;
  let weatherDone = weather === null;
  /** Applies the readings taken before `endMs`, as the scorer's table would hold them. */
  const weatherUntil = async (endMs: number) => {
    while (!weatherDone) {
      if (pending === null) {
        const next = await weather!.next();
        if (next.done) {
          weatherDone = true;
          return;
        }
        report.weatherRecords++;
        if (!next.value.result.ok) {
          refuse('weather', next.value.line, formatFieldErrors(next.value.result.errors));
          continue;
        }
        pending = next.value.result.value;
      }
      if (pending.ts >= endMs) return;
      table.upsert(pending);
      pending = null;
    }
  };

  const open = new Map<number, { m1: (TrafficStats | undefined)[]; m10: (TrafficStats | undefined)[] }>();
  let written = Number.NEGATIVE_INFINITY;
  const write = async (text: string) => {
    if (!o.out.write(text)) await once(o.out, 'drain');
  };
  const flush = async (endMs: number) => {
    const c = open.get(endMs)!;
    open.delete(endMs);
    written = endMs;
    await weatherUntil(endMs);
    report.minutes++;
    let text = '';
    for (let i = 0; i < n; i++) {
      const r1 = c.m1[i];
      if (r1 === undefined) continue;
      assembler.write(i, endMs - MINUTE_MS, table, context, 0);
      const rec = (j: number): WindowRecords => ({ '1m': c.m1[j], '10m': c.m10[j] });
      builder.write({ own: rec(i), upstream: up[i].map(rec), downstream: down[i].map(rec), context, contextOffset: 0 }, features);
      let line = `history,${csvText(network.segments[i].id)},${endMs}`;
      for (let k = 0; k < features.length; k++) line += ',' + formatFeature(features[k]);
      text += line + '\n';
      report.rows++;
    }
    if (text.length > 0) await write(text);
  };

  await write([...KEY_COLUMNS, ...builder.names].join(',') + '\n');
  for await (const { line, result } of records<TrafficStats>(o.stats, o.statsFormat, statsCheck, 'null')) {
    report.statsRecords++;
    if (!result.ok) {
      refuse('stats', line, formatFieldErrors(result.errors));
      continue;
    }
    const r = result.value;
    const i = indexOf.get(r.segmentId);
    if (i === undefined) {
      refuse('stats', line, `segmentId: unknown segment ${JSON.stringify(r.segmentId)} (not in the road network)`);
      continue;
    }
    if (r.windowEndMs <= written) {
      report.outOfOrder++;
      continue;
    }
    let c = open.get(r.windowEndMs);
    if (!c) open.set(r.windowEndMs, (c = { m1: new Array(n), m10: new Array(n) }));
    (r.window === '1m' ? c.m1 : c.m10)[i] = r;
    const due = [...open.keys()].filter((e) => e < r.windowEndMs - reorder).sort((a, b) => a - b);
    for (const e of due) await flush(e);
  }
  for (const e of [...open.keys()].sort((a, b) => a - b)) await flush(e);
  return report;
}

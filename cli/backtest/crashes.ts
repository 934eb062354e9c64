import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { splitCsvLine } from '@saferoads/crashes/dataset';

/** Each segment's crash times (epoch ms), ascending. */
export type CrashList = ReadonlyMap<string, readonly number[]>;

export interface CrashesReport {
  lines: number;
  crashes: number;
  refused: number;
  problems: string[];
}

// ISO 8601 with a date, a time and an offset (Z or ±hh:mm): a time without an offset names no instant.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A crash time: epoch milliseconds, or ISO 8601 with an offset; null when it is neither. */
export function crashTime(cell: string): number | null {
  const t = cell.trim();
  if (/^-?\d+$/.test(t)) return Number(t);
  if (!ISO_WITH_OFFSET.test(t)) return null;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * A road authority's crash list as train.py --crashes reads it: CSV with at least `segmentId` and
 * `time` (epoch ms or ISO 8601 with an offset), one crash per line; other columns ignored. Bad
 * lines are counted and the first few reported.
 */
export async function readCrashList(input: Readable, report: CrashesReport): Promise<CrashList> {
  const out = new Map<string, number[]>();
  let cols: { segmentId: number; time: number } | null = null;
  const refuse = (line: number, reason: string) => {
    report.refused++;
    if (report.problems.length < 10) report.problems.push(`crashes line ${line}: ${reason}`);
  };
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    report.lines++;
    if (text.trim() === '') continue;
    let cells: string[];
    try {
      cells = splitCsvLine(text);
    } catch (err) {
      refuse(report.lines, `not CSV: ${(err as Error).message}`);
      continue;
    }
    if (cols === null) {
      const at = new Map(cells.map((c, k) => [c.trim(), k]));
      if (!at.has('segmentId') || !at.has('time')) throw new Error('the crash list needs the columns segmentId and time');
      cols = { segmentId: at.get('segmentId')!, time: at.get('time')! };
      continue;
    }
    const seg = cells[cols.segmentId] ?? '';
    const ms = crashTime(cells[cols.time] ?? '');
    if (seg === '') refuse(report.lines, 'segmentId: empty');
    else if (ms === null) refuse(report.lines, `time: ${JSON.stringify(cells[cols.time] ?? '')} is neither epoch milliseconds nor ISO 8601 with an offset`);
    else {
      const list = out.get(seg) ?? [];
      list.push(ms);
      out.set(seg, list);
      report.crashes++;
    }
  }
  if (cols === null) throw new Error('the crash list is empty: no header');
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}

/** The first index of `sorted` whose value is >= x. */
function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Crashes on the segment at or after `windowEndMs` and before `windowEndMs + horizonMs`: the
 * 15 minutes a row's label covers, as train.py's label_from_crashes counts them.
 */
export function crashesAhead(crashes: CrashList, segmentId: string, windowEndMs: number, horizonMs: number): number {
  const times = crashes.get(segmentId);
  if (times === undefined) return 0;
  return lowerBound(times, windowEndMs + horizonMs) - lowerBound(times, windowEndMs);
}

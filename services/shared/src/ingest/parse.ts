import { HttpError } from '../service/http-errors.js';

export type BatchFormat = 'json' | 'ndjson';

/**
 * One record of a batch as it arrived: a parsed JSON value, or an NDJSON line that is not JSON.
 * `index` is the record's 0-based position: in a JSON array its element index, in NDJSON its
 * line number (blank lines hold no record but keep their number, so an index finds its line).
 */
export type BatchEntry =
  | { readonly kind: 'value'; readonly index: number; readonly value: unknown; readonly line?: string }
  | { readonly kind: 'malformed'; readonly index: number; readonly line: string; readonly reason: string };

function tooMany(count: number, max: number): HttpError {
  return new HttpError(413, `the batch holds ${count} records, more than the ${max} allowed per request: split it`, {
    details: [{ field: '(body)', reason: `more than ${max} records` }],
  });
}

function badBody(noun: string, reason: string): HttpError {
  return new HttpError(400, `the body must be a JSON array of ${noun}: ${reason}`, { details: [{ field: '(body)', reason }] });
}

function describeJson(v: unknown): string {
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** A JSON array body: one syntax error makes the whole body unreadable, so it is refused whole. */
function parseJsonArray(text: string, maxRecords: number, noun: string): BatchEntry[] {
  if (text.trim() === '') throw badBody(noun, 'the body is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw badBody(noun, `not valid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(value)) throw badBody(noun, `got ${describeJson(value)}`);
  if (value.length > maxRecords) throw tooMany(value.length, maxRecords);
  return value.map((v: unknown, index) => ({ kind: 'value', index, value: v }));
}

/** NDJSON: every line stands alone, so a broken line is one rejected record and the others go on. */
function parseNdjson(text: string, maxRecords: number): BatchEntry[] {
  const lines = text.split('\n');
  // Counted before any line is parsed: a batch over the limit costs no parsing.
  let count = 0;
  for (const l of lines) if (l.trim() !== '') count++;
  if (count > maxRecords) throw tooMany(count, maxRecords);

  const entries: BatchEntry[] = [];
  for (const [index, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    try {
      entries.push({ kind: 'value', index, value: JSON.parse(line) as unknown, line });
    } catch (err) {
      entries.push({ kind: 'malformed', index, line, reason: `not valid JSON: ${(err as Error).message}` });
    }
  }
  return entries;
}

/**
 * Splits a request body into its records; throws the HttpError (400, 413) for a body that is no
 * batch. `noun` names the records in messages ("detections", "weather observations").
 */
export function parseBatch(text: string, format: BatchFormat, maxRecords: number, noun: string): BatchEntry[] {
  return format === 'json' ? parseJsonArray(text, maxRecords, noun) : parseNdjson(text, maxRecords);
}

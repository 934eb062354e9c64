import { describe, expect, it } from 'vitest';
import { HttpError } from '../service/http-errors.js';
import { jsonSyntaxError } from '../testing/index.js';
import { parseBatch } from './parse.js';

/** The HttpError `fn` throws; fails the test when it throws nothing or something else. */
function httpErrorOf(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error('expected an HttpError');
}

describe('parseBatch', () => {
  it('turns a JSON array into one entry per element, indexed from 0', () => {
    expect(parseBatch('[{"a":1}, 2, null]', 'json', 10, 'things')).toEqual([
      { kind: 'value', index: 0, value: { a: 1 } },
      { kind: 'value', index: 1, value: 2 },
      { kind: 'value', index: 2, value: null },
    ]);
  });

  it('indexes NDJSON records by line, skipping blank lines and stripping CR', () => {
    expect(parseBatch('{"a":1}\r\n\n  \n{"b":2}\n', 'ndjson', 10, 'things')).toEqual([
      { kind: 'value', index: 0, value: { a: 1 }, line: '{"a":1}' },
      { kind: 'value', index: 3, value: { b: 2 }, line: '{"b":2}' },
    ]);
  });

  it('marks an NDJSON line that is not JSON as malformed and reads the others', () => {
    const entries = parseBatch('{"a":1}\n{oops\n[]', 'ndjson', 10, 'things');
    expect(entries.map((e) => [e.kind, e.index])).toEqual([
      ['value', 0],
      ['malformed', 1],
      ['value', 2],
    ]);
    expect(entries[1]).toEqual({ kind: 'malformed', index: 1, line: '{oops', reason: `not valid JSON: ${jsonSyntaxError('{oops')}` });
  });

  it('reads an empty NDJSON body as an empty batch', () => {
    expect(parseBatch('', 'ndjson', 10, 'things')).toEqual([]);
  });

  it.each([
    ['{"a":1}', 'got an object'],
    ['"text"', 'got a string'],
    ['null', 'got null'],
    ['  ', 'the body is empty'],
  ])('refuses the JSON body %j: %s', (text, reason) => {
    expect(httpErrorOf(() => parseBatch(text, 'json', 10, 'things')).body()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: `the body must be a JSON array of things: ${reason}`,
      details: [{ field: '(body)', reason }],
    });
  });

  it('refuses more records than the limit before parsing any NDJSON line', () => {
    expect(httpErrorOf(() => parseBatch('not json\nnot json\n\nnot json', 'ndjson', 2, 'things')).body()).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'the batch holds 3 records, more than the 2 allowed per request: split it',
      details: [{ field: '(body)', reason: 'more than 2 records' }],
    });
  });
});

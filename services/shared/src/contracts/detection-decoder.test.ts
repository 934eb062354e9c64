import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeJson } from './decode.js';
import { DetectionDecoder, decodeDetectionText } from './detection-decoder.js';
import { MAX_EVENT_TS, MIN_EVENT_TS, detectionValidator } from './detection.js';
import type { Validation } from './validate.js';

/** Equal results: the same errors, or objects with the same keys in the same order and the same (Object.is) values. */
function expectSame(actual: Validation<unknown>, expected: Validation<unknown>): void {
  expect(actual).toStrictEqual(expected);
  if (actual.ok && expected.ok) {
    const a = actual.value as Record<string, unknown>;
    const e = expected.value as Record<string, unknown>;
    expect(Object.keys(a)).toEqual(Object.keys(e));
    // Numbers compared with Object.is (toStrictEqual takes 0 for -0); objects are compared deeply above.
    for (const k of Object.keys(e)) if (typeof e[k] === 'number') expect(Object.is(a[k], e[k]), k).toBe(true);
  }
}

/** Checks a line through both entry points against JSON.parse + the schema. */
function checkLine(decoder: DetectionDecoder, line: string, pad = 0): void {
  expectSame(decoder.decodeText(line), decodeJson(line, detectionValidator));
  // As bytes inside a larger buffer, as the offline runner reads them.
  const bytes = Buffer.from(line, 'utf8');
  const buf = Buffer.concat([Buffer.from('x'.repeat(pad)), bytes, Buffer.from('}\n{')]);
  expectSame(decoder.decode(buf, pad, pad + bytes.length), decodeJson(bytes.toString('utf8'), detectionValidator));
  // Ending the buffer, where reading four bytes at a time must not run past it.
  expectSame(decoder.decode(bytes, 0, bytes.length), decodeJson(bytes.toString('utf8'), detectionValidator));
}

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
/** A decimal text: whole part up to `max`, then mostly a few fraction digits, sometimes up to 20 (trailing zeros too). */
const decimal = (min: number, max: number) =>
  fc
    .tuple(fc.integer({ min, max }), fc.option(fc.oneof({ weight: 6, arbitrary: digits(1, 3) }, { weight: 1, arbitrary: digits(1, 20) })))
    .map(([w, f]) => (f === null ? `${w}` : `${w}.${f}`));
/** Number texts of every form JSON allows, and some it does not. */
const oddNumber = fc.oneof(
  fc.double({ noNaN: true }).map((x) => JSON.stringify(x)),
  fc.tuple(digits(1, 18), fc.option(digits(1, 18))).map(([w, f]) => (f === null ? w : `${w}.${f}`)),
  fc.constantFrom('-0', '0', '-1', '1e3', '1E+2', '2e-1', '0.0', '00', '01', '1.', '.5', '-', '1.5e1', 'NaN', 'Infinity', '"1"', 'true', 'null', '[]', '1_0', '0x1', '+1', ' 1', '1 '),
);
/** Mostly a text for a valid value, sometimes an odd one. */
const mostly = (valid: fc.Arbitrary<string>) => fc.oneof({ weight: 9, arbitrary: valid }, { weight: 1, arbitrary: oddNumber });
const idText = fc.oneof(
  { weight: 12, arbitrary: fc.stringMatching(/^[A-Z0-9-]{1,20}$/).map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 70 }).map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 66 }).map((s) => JSON.stringify(s)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('"A\\u0031"', '"\\""', '"a\\\\b"', '"\\/"', '"é"', '"\u{1F697}"', '"\ud800"', '""', `"${'x'.repeat(64)}"`, `"${'x'.repeat(65)}"`, '"a\tb"', '1', 'null', '"\u007f"', '"a b"'),
  },
);
const field = (key: string, value: fc.Arbitrary<string>) => value.map((v) => `"${key}":${v}`);
/**
 * Detection-like objects: mostly valid values (so a field at fault is often the only one), the
 * contract's fields in order, some missing, some extra, sometimes shuffled.
 */
const detectionText = fc
  .tuple(
    fc.tuple(
      field('detectorId', idText),
      field('lane', mostly(fc.integer({ min: 0, max: 17 }).map(String))),
      field('ts', mostly(fc.oneof(fc.integer({ min: 946_684_799_999, max: 4_102_444_800_001 }), fc.constantFrom(MIN_EVENT_TS - 1, MIN_EVENT_TS, MAX_EVENT_TS, MAX_EVENT_TS + 1)).map(String))),
      field('speedKmh', mostly(decimal(0, 301))),
      field('lengthM', mostly(decimal(0, 41))),
    ),
    fc.option(field('occupancyMs', mostly(decimal(0, 600_001)))),
    fc.option(field('gapS', mostly(decimal(0, 86_401)))),
    fc.option(field('seq', mostly(fc.oneof(fc.nat().map(String), fc.constantFrom('9007199254740991', '9007199254740992', '999999999999999', '1000000000000000'))))),
    fc.oneof(
      { weight: 7, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom('extra', 'lane', '__proto__', 'seq', 'SEQ'), fc.jsonValue()).map(([k, v]) => `"${k}":${JSON.stringify(v)}`) },
    ),
    fc.nat({ max: 15 }),
    fc.integer({ min: 0, max: 40 }),
  )
  .chain(([required, occupancy, gap, seq, extra, shuffle, drop]) => {
    const fields = [...required, occupancy, gap, seq, extra].filter((f): f is string => f !== null);
    if (drop < fields.length) fields.splice(drop, 1);
    return (shuffle === 0 ? fc.shuffledSubarray(fields, { minLength: fields.length }) : fc.constant(fields)).map((fs) => `{${fs.join(',')}}`);
  });
const oddChar = fc.constantFrom(' ', '\t', '\r', '\n', '"', '\\', ',', '}', '{', ':', '0', '-', 'e', '.', 'é', '\u00a0', '\u2028', '\u0000', '\ufeff');
/** A line damaged at random places (characters removed, replaced or inserted), or padded at either end. */
const damaged = fc.oneof(
  fc.tuple(detectionText, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 2 }), oddChar), { minLength: 1, maxLength: 3 })).map(([line, edits]) => {
    let s = line;
    for (const [at, kind, ch] of edits) {
      const i = at % (s.length + 1);
      s = kind === 0 ? s.slice(0, i) + s.slice(i + 1) : kind === 1 ? s.slice(0, i) + ch + s.slice(i + 1) : s.slice(0, i) + ch + s.slice(i);
    }
    return s;
  }),
  fc.tuple(fc.array(oddChar, { maxLength: 2 }), detectionText, fc.array(oddChar, { maxLength: 3 })).map(([a, line, b]) => a.join('') + line + b.join('')),
);

describe('DetectionDecoder', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('gives exactly what JSON.parse and the schema give, for detection-like lines', () => {
    const decoder = new DetectionDecoder();
    fc.assert(
      fc.property(detectionText, fc.nat({ max: 5 }), (line, pad) => checkLine(decoder, line, pad)),
      { numRuns: 5_000 },
    );
  });

  it('gives exactly what JSON.parse and the schema give, for damaged lines and odd white space', () => {
    const decoder = new DetectionDecoder();
    fc.assert(
      fc.property(damaged, fc.nat({ max: 5 }), (line, pad) => checkLine(decoder, line, pad)),
      { numRuns: 5_000 },
    );
  });

  it('gives exactly what JSON.parse and the schema give, for any JSON and any text', () => {
    const decoder = new DetectionDecoder();
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string(), fc.string({ unit: 'binary' })), (line) => checkLine(decoder, line)),
      { numRuns: 3_000 },
    );
  });

  it.each([
    '{"detectorId":"A13-N-025-L1","lane":1,"ts":1773118800022,"speedKmh":85.3,"lengthM":9.8,"occupancyMs":498,"seq":0}',
    '{"detectorId":"d","lane":16,"ts":946684800000,"speedKmh":300,"lengthM":40,"occupancyMs":600000,"gapS":86400,"seq":12}',
  ])('gives exactly what JSON.parse and the schema give, for every line one edit away from %s', (line) => {
    const decoder = new DetectionDecoder();
    const chars = [' ', '\t', '\r', '\n', '"', '\\', '/', ',', '}', '{', ':', '0', '1', '9', '-', '+', 'e', 'E', '.', 'x', 'é', '\u001f', '\u007f', '\u0080', '\u0000', '\ufeff'];
    for (let i = 0; i <= line.length; i++) {
      checkLine(decoder, line.slice(0, i) + line.slice(i + 1));
      for (const ch of chars) {
        checkLine(decoder, line.slice(0, i) + ch + line.slice(i + 1));
        checkLine(decoder, line.slice(0, i) + ch + line.slice(i));
      }
    }
  });

  it('gives exactly what JSON.parse and the schema give, for every prefix and suffix of a line (cut off at the end of the buffer)', () => {
    const decoder = new DetectionDecoder();
    const line = '{"detectorId":"A13-N-025-L1","lane":1,"ts":1773118800022,"speedKmh":85.3,"lengthM":9.8,"occupancyMs":498,"gapS":1.25,"seq":0}';
    for (let i = 0; i <= line.length; i++) {
      checkLine(decoder, line.slice(0, i));
      checkLine(decoder, line.slice(i));
    }
    // A key whose last 4-byte word would reach past the buffer: `,"ts":` then only the brace.
    checkLine(decoder, `{"detectorId":"${'x'.repeat(40)}","lane":1,"ts":}`);
  });

  it('takes the fast path for most generated lines that are valid, so the properties above test it', () => {
    const lines = fc.sample(detectionText, { numRuns: 2_000, seed: 42 });
    const valid = lines.filter((line) => decodeJson(line, detectionValidator).ok);
    const check = vi.spyOn(detectionValidator, 'check');
    const decoder = new DetectionDecoder();
    let fast = 0;
    for (const line of valid) {
      const before = check.mock.calls.length;
      decoder.decodeText(line);
      if (check.mock.calls.length === before) fast++;
    }
    expect(valid.length).toBeGreaterThan(300);
    expect(fast / valid.length).toBeGreaterThan(0.4);
  });

  it.each([
    ['the simulator’s lines', '{"detectorId":"A13-N-025-L1","lane":1,"ts":1773118800022,"speedKmh":85.3,"lengthM":9.8,"occupancyMs":498,"seq":0}'],
    ['every field', '{"detectorId":"d","lane":16,"ts":946684800000,"speedKmh":300,"lengthM":40,"occupancyMs":600000,"gapS":86400,"seq":999999999999999}'],
    ['only the required fields', '{"detectorId":"d","lane":1,"ts":4102444800000,"speedKmh":0.001,"lengthM":0.5}'],
    ['a gap without occupancy', '{"detectorId":"d","lane":2,"ts":1773118800022,"speedKmh":99.95,"lengthM":4.25,"gapS":0}'],
    ['trailing white space (a CRLF file)', '{"detectorId":"d","lane":1,"ts":1773118800022,"speedKmh":85.3,"lengthM":9.8} \t\r'],
  ])('reads %s without JSON.parse or the schema validator', (_name, line) => {
    const check = vi.spyOn(detectionValidator, 'check');
    const parse = vi.spyOn(JSON, 'parse');
    const decoder = new DetectionDecoder();
    const fast = decoder.decodeText(line);
    expect(check).not.toHaveBeenCalled();
    expect(parse).not.toHaveBeenCalled();
    vi.restoreAllMocks();
    expectSame(fast, decodeJson(line, detectionValidator));
  });

  it.each([
    ['a value out of range', '{"detectorId":"d","lane":17,"ts":1773118800022,"speedKmh":85.3,"lengthM":9.8}', [{ field: 'lane', reason: 'must be <= 16' }]],
    ['a negative zero', '{"detectorId":"d","lane":1,"ts":1773118800022,"speedKmh":-0,"lengthM":9.8}', [{ field: 'speedKmh', reason: 'must be > 0' }]],
    ['a missing field', '{"detectorId":"d","lane":1,"ts":1773118800022,"speedKmh":85.3}', [{ field: 'lengthM', reason: 'is required' }]],
    ['a fraction where an integer belongs', '{"detectorId":"d","lane":1.5,"ts":1773118800022,"speedKmh":85.3,"lengthM":9.8}', [{ field: 'lane', reason: 'must be integer' }]],
    ['an id too long', `{"detectorId":"${'x'.repeat(65)}","lane":1,"ts":1773118800022,"speedKmh":85.3,"lengthM":9.8}`, [{ field: 'detectorId', reason: 'must NOT have more than 64 characters' }]],
  ])('refuses %s with the schema’s errors', (_name, line, errors) => {
    expect(new DetectionDecoder().decodeText(line)).toEqual({ ok: false, errors });
  });

  it.each([
    ['an exponent', '{"detectorId":"d","lane":1,"ts":1773118800022,"speedKmh":1e2,"lengthM":9.8}', 100],
    ['a fraction of zeros in an integer field', '{"detectorId":"d","lane":1.0,"ts":1773118800022,"speedKmh":100,"lengthM":9.8}', 100],
    ['an escaped id', '{"detectorId":"\\u0064","lane":1,"ts":1773118800022,"speedKmh":100,"lengthM":9.8}', 100],
  ])('accepts %s the general way', (_name, line, speed) => {
    const r = new DetectionDecoder().decodeText(line);
    expect(r.ok && r.value.speedKmh).toBe(speed);
  });

  it('refuses broken JSON with JSON.parse’s own message', () => {
    const line = '{"detectorId":"d","lane":1,';
    const r = decodeDetectionText(line);
    expect(r).toStrictEqual(decodeJson(line, detectionValidator));
    expect(!r.ok && r.errors[0].reason).toMatch(/^not valid JSON: /);
  });

  it('interns ids, also past its first table size', () => {
    const decoder = new DetectionDecoder();
    const ids = Array.from({ length: 3_000 }, (_, i) => `D-${i}`);
    for (const round of [0, 1]) {
      for (const id of ids) {
        const r = decoder.decodeText(`{"detectorId":"${id}","lane":1,"ts":1773118800022,"speedKmh":85.3,"lengthM":9.8,"seq":${round}}`);
        expect(r.ok && r.value.detectorId).toBe(id);
      }
    }
  });
});

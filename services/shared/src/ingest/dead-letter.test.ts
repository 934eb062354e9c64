import { describe, expect, it } from 'vitest';
import type { DeadLetter } from '../topics.js';
import { deadLetterRecord, MAX_DEAD_LETTER_RAW_CHARS } from './dead-letter.js';

describe('dead-letter records', () => {
  it('writes a dead letter with the reasons and the raw record', () => {
    const r = deadLetterRecord({ errors: [{ field: 'lane', reason: 'must be integer' }, { field: 'ts', reason: 'is required' }], raw: '{"lane":1.5}' });
    expect(r.key).toBeNull();
    expect(JSON.parse(r.value)).toEqual({
      reason: 'lane: must be integer; ts: is required',
      errors: [
        { field: 'lane', reason: 'must be integer' },
        { field: 'ts', reason: 'is required' },
      ],
      source: null,
      raw: '{"lane":1.5}',
    } satisfies DeadLetter);
  });

  it('names the source record when the letter comes from a topic rather than a request', () => {
    const source = { topic: 'weather.observations', partition: 2, offset: 41 };
    const letter = JSON.parse(deadLetterRecord({ errors: [{ field: '(record)', reason: 'not valid JSON' }], raw: '{' }, source).value) as DeadLetter;
    expect(letter).toEqual({ reason: '(record): not valid JSON', errors: [{ field: '(record)', reason: 'not valid JSON' }], source, raw: '{' });
  });

  it('truncates a huge raw record, saying so in the reason, so the dead letter fits a Kafka message', () => {
    const raw = 'x'.repeat(MAX_DEAD_LETTER_RAW_CHARS + 10);
    const letter = JSON.parse(deadLetterRecord({ errors: [{ field: '(record)', reason: 'not valid JSON' }], raw }).value) as DeadLetter;
    expect(letter.raw).toBe('x'.repeat(MAX_DEAD_LETTER_RAW_CHARS));
    expect(letter.reason).toBe(`(record): not valid JSON (raw truncated to ${MAX_DEAD_LETTER_RAW_CHARS} of ${MAX_DEAD_LETTER_RAW_CHARS + 10} characters)`);
  });
});

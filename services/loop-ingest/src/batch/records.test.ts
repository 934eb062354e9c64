import type { DeadLetter } from '@saferoads/shared/topics';
import { describe, expect, it } from 'vitest';
import { detection } from '../testing/harness.js';
import { deadLetterRecord, detectionRecord, MAX_DEAD_LETTER_RAW_CHARS } from './records.js';

describe('bus records of a batch', () => {
  it('keys a detection by its segment, stamps it with its event time and keeps only contract fields', () => {
    const d = { ...detection('A13-S-001-L1', 1), gapS: 1.5, note: 'x' };
    expect(detectionRecord({ index: 0, detection: d, segmentId: 'A13-S-001' })).toEqual({
      key: 'A13-S-001',
      value: JSON.stringify({ ...detection('A13-S-001-L1', 1), gapS: 1.5 }),
      timestamp: d.ts,
    });
  });

  it('writes a dead letter with the reasons and the raw record', () => {
    const r = deadLetterRecord({ index: 3, reason: 'schema', errors: [{ field: 'lane', reason: 'must be integer' }, { field: 'ts', reason: 'is required' }], raw: '{"lane":1.5}' });
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

  it('truncates a huge raw record, saying so in the reason, so the dead letter fits a Kafka message', () => {
    const raw = 'x'.repeat(MAX_DEAD_LETTER_RAW_CHARS + 10);
    const letter = JSON.parse(deadLetterRecord({ index: 0, reason: 'malformed', errors: [{ field: '(record)', reason: 'not valid JSON' }], raw }).value) as DeadLetter;
    expect(letter.raw).toBe('x'.repeat(MAX_DEAD_LETTER_RAW_CHARS));
    expect(letter.reason).toBe(`(record): not valid JSON (raw truncated to ${MAX_DEAD_LETTER_RAW_CHARS} of ${MAX_DEAD_LETTER_RAW_CHARS + 10} characters)`);
  });
});

import { describe, expect, it } from 'vitest';
import { detection } from '../testing/harness.js';
import { detectionRecord } from './records.js';

describe('bus records of a batch', () => {
  it('keys a detection by its segment, stamps it with its event time and keeps only contract fields', () => {
    const d = { ...detection('A13-S-001-L1', 1), gapS: 1.5, note: 'x' };
    expect(detectionRecord({ index: 0, detection: d, segmentId: 'A13-S-001' })).toEqual({
      key: 'A13-S-001',
      value: JSON.stringify({ ...detection('A13-S-001-L1', 1), gapS: 1.5 }),
      timestamp: d.ts,
    });
  });
});

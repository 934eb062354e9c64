import { describe, expect, it } from 'vitest';
import { MAX_EARLIER_THRESHOLDS } from '@saferoads/shared/contracts';
import type { ThresholdsVersion } from '../store/store.js';
import { T0, thresholds } from '../testing/fixtures.js';
import { thresholdsRecord } from './record.js';

const DAY = 24 * 3_600_000;
const v = (version: number, effectiveDay: number, setDay: number): ThresholdsVersion => ({
  version,
  thresholds: thresholds(1 + version / 10),
  effectiveFromMs: T0 + effectiveDay * DAY,
  setBy: 'ada',
  setByRole: 'admin',
  setAtMs: T0 + setDay * DAY,
  note: `v${version}`,
  publishedAtMs: null,
});
const earlier = (r: ReturnType<typeof thresholdsRecord>) => r.earlier.map((e) => e.version);

describe('thresholdsRecord', () => {
  // v1 from day 0, v2 from day 10, v3 scheduled on day 19 for day 30, v4 set on day 20 for day 21.
  const all = [v(1, 0, 0), v(2, 10, 10), v(3, 30, 19), v(4, 21, 20)];

  it.each([
    ['a horizon reaching back before every version', 30, [1, 2]],
    ['a week: version 1 ended on day 10, before day 13', 7, [2]],
    ['a day: version 2 still in force on day 19', 1, [2]],
  ])('carries the earlier versions in force within %s (version 3 is overridden by 4 before it starts)', (_what, horizonDays, want) => {
    expect(earlier(thresholdsRecord(all[3], all, horizonDays * DAY))).toEqual(want);
  });

  it('is the version itself, with who set it and why', () => {
    expect(thresholdsRecord(all[0], all, 7 * DAY)).toEqual({ version: 1, effectiveFromMs: T0, thresholds: thresholds(1.1), setBy: 'ada', setAtMs: T0, note: 'v1', earlier: [] });
  });

  it(`keeps at most the newest ${MAX_EARLIER_THRESHOLDS} earlier versions`, () => {
    const many = Array.from({ length: MAX_EARLIER_THRESHOLDS + 5 }, (_, i) => v(i + 1, i, i));
    const last = v(many.length + 1, many.length, many.length);
    const r = thresholdsRecord(last, many, 10_000 * DAY);
    expect([r.earlier.length, r.earlier[0].version, r.earlier[r.earlier.length - 1].version]).toEqual([MAX_EARLIER_THRESHOLDS, 6, many.length]);
  });
});

import { describe, expect, it } from 'vitest';
import { WatermarkTracker } from './watermark.js';

describe('WatermarkTracker', () => {
  it('is the highest event time minus the out-of-orderness, and never goes back', () => {
    const w = new WatermarkTracker({ outOfOrdernessMs: 5_000 });
    expect(w.current()).toBe(Number.NEGATIVE_INFINITY);
    expect(w.observe(100_000)).toBe(95_000);
    expect(w.observe(90_000)).toBe(95_000);
    expect(w.observe(110_000)).toBe(105_000);
    expect(w.maxEventTime).toBe(110_000);
  });

  it('offline (no idle timeout) it never moves with the wall clock', () => {
    const w = new WatermarkTracker({ outOfOrdernessMs: 1_000 }, 0);
    w.observe(10_000, 0);
    expect(w.current(1_000_000)).toBe(9_000);
  });

  it('an idle partition follows the wall clock after the idle timeout', () => {
    const w = new WatermarkTracker({ outOfOrdernessMs: 1_000, idleTimeoutMs: 30_000 }, 1_000);
    w.observe(50_000, 2_000);
    expect(w.current(31_999)).toBe(49_000); // idle for 29,999 ms: not yet
    expect(w.current(32_000)).toBe(49_000); // exactly at the timeout: nothing to add
    expect(w.current(42_000)).toBe(59_000); // 10 s beyond the timeout
    expect(w.observe(55_000, 43_000)).toBe(59_000); // monotone: a new event does not pull it back
  });

  it('a partition that never saw an event does not follow the wall clock: there is no event time to extend', () => {
    const w = new WatermarkTracker({ outOfOrdernessMs: 2_000, idleTimeoutMs: 10_000 }, 1_000_000);
    expect(w.current(1_005_000)).toBe(Number.NEGATIVE_INFINITY);
    expect(w.current(9_000_000)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('advanceTo moves it forward only', () => {
    const w = new WatermarkTracker({ outOfOrdernessMs: 0 });
    w.observe(100);
    expect(w.advanceTo(50)).toBe(100);
    expect(w.advanceTo(500)).toBe(500);
  });
});

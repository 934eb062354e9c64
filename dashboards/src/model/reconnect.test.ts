import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './reconnect.js';

describe('reconnect delay', () => {
  it.each([
    [0, 0, 250],
    [0, 0.999999, 500],
    [1, 0.5, 750],
    [3, 0, 2_000],
    [6, 0, 15_000],
    [7, 0, 15_000],
    [100, 0.999999, 30_000],
  ])('attempt %d with random %d waits %d ms', (attempt, random, ms) => {
    expect(reconnectDelayMs(attempt, random)).toBe(ms);
  });

  it('never exceeds the cap and never falls under half the base', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0, max: 0.9999, noNaN: true }), (attempt, random) => {
        const d = reconnectDelayMs(attempt, random);
        expect(d).toBeGreaterThanOrEqual(250);
        expect(d).toBeLessThanOrEqual(30_000);
      }),
    );
  });
});

import type { DetectionBatch } from './types.js';

/** Wall time as pace sees it; injected in tests. */
export interface PaceClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: PaceClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Releases batches in simulated time scaled by `speed`: batch i is released once wall time
 * reaches start + (untilMs - fromMs of the first batch) / speed, because a real collector cannot
 * have a step's records before the step has ended. speed 0 releases them as fast as they are
 * pulled. A slow consumer is never made slower: lateness is not caught up with sleeps.
 */
export async function* pace<B extends Pick<DetectionBatch, 'fromMs' | 'untilMs'>>(
  batches: Iterable<B> | AsyncIterable<B>,
  speed: number,
  clock: PaceClock = systemClock,
): AsyncGenerator<B> {
  if (!(Number.isFinite(speed) && speed >= 0)) throw new RangeError('speed must be a number >= 0');
  let wallStart = 0;
  let simStart = Number.NaN;
  for await (const b of batches) {
    if (speed > 0) {
      if (Number.isNaN(simStart)) {
        simStart = b.fromMs;
        wallStart = clock.now();
      }
      const wait = wallStart + (b.untilMs - simStart) / speed - clock.now();
      if (wait > 0) await clock.sleep(wait);
    }
    yield b;
  }
}

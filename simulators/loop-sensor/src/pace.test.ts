import { describe, expect, it } from 'vitest';
import { pace, type PaceClock } from './pace.js';

/** A clock that only moves when pace sleeps, recording every release time. */
function fakeClock(): PaceClock & { t: number; sleeps: number[] } {
  const c = {
    t: 1000,
    sleeps: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.sleeps.push(ms);
      c.t += ms;
    },
  };
  return c;
}

const batches = (n: number) => Array.from({ length: n }, (_, i) => ({ fromMs: 50_000 + i * 5000, untilMs: 55_000 + i * 5000 }));

async function releases(speed: number, clock: ReturnType<typeof fakeClock>, n = 4): Promise<number[]> {
  const out: number[] = [];
  for await (const _ of pace(batches(n), speed, clock)) out.push(clock.t);
  return out;
}

describe('pace', () => {
  it('releases each batch when its step has ended in real time', async () => {
    expect(await releases(1, fakeClock())).toEqual([6000, 11_000, 16_000, 21_000]);
  });

  it('scales simulated time by speed', async () => {
    expect(await releases(10, fakeClock())).toEqual([1500, 2000, 2500, 3000]);
  });

  it('never sleeps at speed 0', async () => {
    const c = fakeClock();
    expect(await releases(0, c, 100)).toHaveLength(100);
    expect(c.sleeps).toEqual([]);
  });

  it('does not sleep to catch up when the consumer is late', async () => {
    const c = fakeClock();
    const out: number[] = [];
    for await (const b of pace(batches(3), 1, c)) {
      out.push(c.t);
      if (b.fromMs === 50_000) c.t += 20_000; // a slow write
    }
    expect(out).toEqual([6000, 26_000, 26_000]);
  });

  it('refuses a negative speed', async () => {
    await expect(releases(-1, fakeClock())).rejects.toThrow(RangeError);
  });
});

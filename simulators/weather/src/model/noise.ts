import { hashString, mix32 } from '@saferoads/loop-sensor/random';

/**
 * Deterministic, stateless randomness: a value is a pure function of (seed, stream name, lattice
 * indices), so any place and time can be evaluated in any order and always gives the same weather.
 */
export function streamOf(seed: number, name: string): number {
  return mix32(mix32(seed >>> 0) ^ mix32(Math.floor(seed / 0x1_0000_0000)) ^ hashString(name));
}

/** Uniform in [0, 1) at one lattice point. */
export function hash01(stream: number, i: number, j = 0): number {
  const h = mix32(mix32(stream ^ mix32(i | 0)) ^ (j | 0));
  return h / 0x1_0000_0000;
}

const smooth = (f: number) => f * f * (3 - 2 * f);

/** Value noise in [0, 1): smooth between lattice points one unit of `x` apart. */
export function noise1(stream: number, x: number): number {
  const i = Math.floor(x);
  const f = smooth(x - i);
  const a = hash01(stream, i);
  return a + (hash01(stream, i + 1) - a) * f;
}

/** Value noise in [0, 1) over a plane, lattice spacing one unit. */
export function noise2(stream: number, x: number, y: number): number {
  const i = Math.floor(x);
  const j = Math.floor(y);
  const fx = smooth(x - i);
  const fy = smooth(y - j);
  const a = hash01(stream, i, j);
  const b = hash01(stream, i + 1, j);
  const c = hash01(stream, i, j + 1);
  const d = hash01(stream, i + 1, j + 1);
  const top = a + (b - a) * fx;
  const bottom = c + (d - c) * fx;
  return top + (bottom - top) * fy;
}

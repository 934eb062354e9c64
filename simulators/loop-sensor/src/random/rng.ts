import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** FNV-1a over a string: stable stream keys from detector and segment ids. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32 finaliser: spreads nearby seeds over the whole 32-bit space. */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A seeded random stream. Every entity (detector, chain, fault) owns its own stream derived
 * from (seed, keys), so adding a detector or enabling a fault never shifts anyone else's numbers.
 */
export class Rng {
  private readonly gen: RandomGenerator;
  private spare = NaN;

  constructor(seed: number, ...keys: (string | number)[]) {
    let h = mix32(seed >>> 0) ^ mix32(Math.floor(seed / 0x1_0000_0000));
    for (const k of keys) h = mix32(h ^ (typeof k === 'number' ? mix32(k >>> 0) : hashString(k)));
    this.gen = xoroshiro128plus(h | 0);
    // xoroshiro's seeding leaves the first outputs correlated across close seeds; burn them.
    for (let i = 0; i < 16; i++) this.gen.next();
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return uniformFloat64(this.gen);
  }

  /** Uniform in [a, b). */
  between(a: number, b: number): number {
    return a + (b - a) * uniformFloat64(this.gen);
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(uniformFloat64(this.gen) * n);
  }

  /** Standard normal (Marsaglia polar method, keeps the second value). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * uniformFloat64(this.gen) - 1;
      v = 2 * uniformFloat64(this.gen) - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - uniformFloat64(this.gen));
  }

  /** Gamma(shape, scale), Marsaglia-Tsang; shape >= 1 here (headway shapes are 2..6). */
  gamma(shape: number, scale: number): number {
    if (shape < 1) return this.gamma(shape + 1, scale) * Math.pow(this.uniform(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
    }
  }

  /** Picks index i with probability weights[i] / sum(weights). */
  pick(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = uniformFloat64(this.gen) * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** Fisher-Yates shuffle of a copy. */
  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }
}

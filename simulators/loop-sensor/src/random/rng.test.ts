import { describe, expect, it } from 'vitest';
import { Rng, hashString } from './rng.js';

const draw = (r: Rng, n: number) => Array.from({ length: n }, () => r.uniform());
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('Rng', () => {
  it('gives the same stream for the same seed and keys', () => {
    expect(draw(new Rng(7, 'vehicles', 'D1'), 50)).toEqual(draw(new Rng(7, 'vehicles', 'D1'), 50));
  });

  it('gives unrelated streams for another seed or key', () => {
    const a = draw(new Rng(7, 'vehicles', 'D1'), 50);
    expect(draw(new Rng(8, 'vehicles', 'D1'), 50)).not.toEqual(a);
    expect(draw(new Rng(7, 'vehicles', 'D2'), 50)).not.toEqual(a);
    // Neighbouring seeds must not start correlated (xoroshiro's raw seeding does).
    expect(Math.abs(new Rng(1).uniform() - new Rng(2).uniform())).toBeGreaterThan(0);
  });

  it('draws uniform values in [0, 1)', () => {
    const xs = draw(new Rng(1), 20_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mean(xs)).toBeCloseTo(0.5, 2);
  });

  it('draws normal, exponential and gamma variates with the right moments', () => {
    const r = new Rng(3);
    const n = Array.from({ length: 40_000 }, () => r.normal());
    expect(mean(n)).toBeCloseTo(0, 1);
    expect(Math.sqrt(mean(n.map((x) => x * x)))).toBeCloseTo(1, 1);
    expect(mean(Array.from({ length: 40_000 }, () => r.exponential(2)))).toBeCloseTo(2, 1);
    const g = Array.from({ length: 40_000 }, () => r.gamma(3, 0.5));
    expect(mean(g)).toBeCloseTo(1.5, 1);
    expect(Math.min(...g)).toBeGreaterThan(0);
  });

  it('picks by weight and shuffles without losing items', () => {
    const r = new Rng(5);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[r.pick([1, 2, 7])]++;
    expect(counts[0] / 30_000).toBeCloseTo(0.1, 1);
    expect(counts[2] / 30_000).toBeCloseTo(0.7, 1);
    expect(r.shuffled([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('hashes strings stably (FNV-1a)', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
  });
});

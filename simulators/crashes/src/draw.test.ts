import { describe, expect, it } from 'vitest';
import { crashOccurs, crashUniform } from './draw.js';

const T0 = Date.UTC(2026, 2, 10, 6, 0);
const MIN = 60_000;

describe('crashUniform', () => {
  it('is a pure function of seed, segment and minute (known values pin it across versions)', () => {
    expect(crashUniform(1, 'A13-N-001', T0)).toBe(crashUniform(1, 'A13-N-001', T0 + 59_999));
    expect([crashUniform(1, 'A13-N-001', T0), crashUniform(2, 'A13-N-001', T0), crashUniform(1, 'A13-N-002', T0), crashUniform(1, 'A13-N-001', T0 + MIN)]).toEqual([
      0.5824897705964457, 0.6362493502762984, 0.31036677365996157, 0.05456122832421262,
    ]);
  });

  it('is uniform: deciles of 100,000 draws within 3 % of 10,000 each, mean within 0.005 of 0.5', () => {
    const counts = new Array<number>(10).fill(0);
    let sum = 0;
    let outside = 0;
    for (let s = 0; s < 10; s++) {
      for (let m = 0; m < 10_000; m++) {
        const u = crashUniform(7, `S-${s}`, T0 + m * MIN);
        if (!(u >= 0 && u < 1)) outside++;
        counts[Math.floor(u * 10)]++;
        sum += u;
      }
    }
    expect(outside).toBe(0);
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(300);
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.005);
  });
});

describe('crashOccurs', () => {
  it('happens with probability 1 − e^(−hazard): 50,000 minutes at hazard ln(10/9) give 10 % ± 0.5 %', () => {
    let crashes = 0;
    for (let m = 0; m < 50_000; m++) if (crashOccurs(3, 'A13-S-010', T0 + m * MIN, Math.log(10 / 9))) crashes++;
    expect(Math.abs(crashes / 50_000 - 0.1)).toBeLessThan(0.005);
  });

  it('never happens at hazard 0, and a higher hazard only adds crashes', () => {
    let atZero = 0;
    let lost = 0;
    let low = 0;
    for (let m = 0; m < 20_000; m++) {
      const t = T0 + m * MIN;
      if (crashOccurs(3, 'X', t, 0)) atZero++;
      if (crashOccurs(3, 'X', t, 0.01)) {
        low++;
        if (!crashOccurs(3, 'X', t, 0.02)) lost++;
      }
    }
    expect([atZero, lost]).toEqual([0, 0]);
    expect(low).toBeGreaterThan(150);
  });
});

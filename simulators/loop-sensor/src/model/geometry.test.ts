import type { Position } from '@saferoads/shared/network';
import { describe, expect, it } from 'vitest';
import { cumulativeM, elevationAt, haversineM, projectFraction } from './geometry.js';

const line: Position[] = [
  [11.4, 47.0, 600],
  [11.4, 47.001, 610],
  [11.4, 47.003, 650],
];

describe('geometry', () => {
  it('measures great-circle distance', () => {
    // One thousandth of a degree of latitude is ~111.2 m.
    expect(haversineM([11.4, 47.0], [11.4, 47.001])).toBeCloseTo(111.19, 1);
  });

  it('scales cumulative distance to the network length', () => {
    const cum = cumulativeM(line, 300);
    expect(cum[0]).toBe(0);
    expect(cum[1]).toBeCloseTo(100, 6);
    expect(cum[2]).toBe(300);
  });

  it('interpolates elevation along the line', () => {
    const cum = cumulativeM(line, 300);
    expect(elevationAt(line, cum, 50)).toBeCloseTo(605, 9);
    expect(elevationAt(line, cum, 200)).toBeCloseTo(630, 9);
    expect(elevationAt(line, cum, 400)).toBe(650);
    expect(elevationAt([[11.4, 47.0], [11.4, 47.1]], [0, 1], 0.5)).toBeUndefined();
  });

  it('projects a point onto the line as a fraction of its length', () => {
    const cum = cumulativeM(line, 300);
    expect(projectFraction(line, cum, [11.401, 47.0])).toBe(0);
    expect(projectFraction(line, cum, [11.401, 47.0015])).toBeCloseTo(0.5, 6);
    expect(projectFraction(line, cum, [11.4, 47.01])).toBe(1);
  });
});

import fc from 'fast-check';
import { booleanPointInPolygon, distance, lineString, point, pointToLineDistance, polygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { Position } from '@saferoads/shared/network';
import { capCircle, capPolygon } from './area.js';

function ring(text: string): number[][] {
  return text.split(' ').map((pair) => pair.split(',').map(Number).reverse());
}

/** Lines of 2 to 6 positions a few hundred metres long, somewhere in Europe. */
const lines = fc
  .record({
    lon: fc.double({ min: -10, max: 30, noNaN: true }),
    lat: fc.double({ min: 36, max: 65, noNaN: true }),
    steps: fc.array(fc.tuple(fc.double({ min: -0.004, max: 0.004, noNaN: true }), fc.double({ min: -0.004, max: 0.004, noNaN: true })), { minLength: 1, maxLength: 5 }),
  })
  .map(({ lon, lat, steps }) => {
    const out: Position[] = [[lon, lat]];
    for (const [dx, dy] of steps) {
      const [x, y] = out[out.length - 1];
      out.push([x + dx + 0.0002, y + dy]);
    }
    return out;
  });

describe('capPolygon', () => {
  it('is a closed ring of lat,lon pairs that holds the whole line and stays within the buffer of it', () => {
    fc.assert(
      fc.property(lines, fc.integer({ min: 20, max: 500 }), (coords, bufferM) => {
        const text = capPolygon(coords, bufferM);
        const pairs = text.split(' ');
        expect(pairs.length).toBeGreaterThanOrEqual(4);
        expect(pairs[0]).toBe(pairs[pairs.length - 1]);
        for (const p of pairs) expect(p).toMatch(/^-?\d+\.\d{5},-?\d+\.\d{5}$/);
        const poly = polygon([ring(text)]);
        for (const c of coords) expect(booleanPointInPolygon(point([c[0], c[1]]), poly)).toBe(true);
        const l = lineString(coords.map((c) => [c[0], c[1]]));
        // Rounding to 1e-5 degrees moves a point by at most about 1.6 m.
        for (const v of ring(text)) expect(pointToLineDistance(point(v), l, { units: 'meters' })).toBeLessThan(bufferM * 1.02 + 2);
      }),
      { numRuns: 150 },
    );
  });
});

describe('capCircle', () => {
  it('reaches every position of the line plus the buffer', () => {
    fc.assert(
      fc.property(lines, fc.integer({ min: 20, max: 500 }), (coords, bufferM) => {
        const m = /^(-?\d+\.\d{5}),(-?\d+\.\d{5}) (\d+\.\d{2})$/.exec(capCircle(coords, bufferM));
        expect(m).not.toBeNull();
        const centre = point([Number(m![2]), Number(m![1])]);
        const radiusM = Number(m![3]) * 1000;
        for (const c of coords) expect(distance(centre, point([c[0], c[1]]), { units: 'meters' }) + bufferM).toBeLessThanOrEqual(radiusM + 2);
      }),
      { numRuns: 150 },
    );
  });
});

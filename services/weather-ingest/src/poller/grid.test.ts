import { loadNetwork } from '@saferoads/shared/network';
import { distance } from '@turf/distance';
import { describe, expect, it } from 'vitest';
import { networkGrid } from './grid.js';

const a13 = loadNetwork();

describe('networkGrid', () => {
  it('covers the bundled A13 with points near the road only, and is the same every time', () => {
    const grid = networkGrid(a13, 5);
    expect(grid).toEqual(networkGrid(a13, 5));
    // 2 x 6 cells of about 5 km over the 7 x 28 km box; the three the road does not cross are left out.
    expect(grid).toHaveLength(9);
    // Every point is within half a cell diagonal of some vertex-to-vertex stretch of road, and every
    // road vertex is within a cell diagonal of some point: the road is covered, the empty corners are not.
    const vertices = a13.segments.flatMap((s) => s.coordinates.map((c) => [c[0], c[1]]));
    for (const v of vertices) {
      const nearest = Math.min(...grid.map((p) => distance(v, [p.lon, p.lat], { units: 'kilometers' })));
      expect(nearest).toBeLessThanOrEqual(5 * Math.SQRT2);
    }
    for (const p of grid) expect(p).toEqual({ lat: Math.round(p.lat * 1e4) / 1e4, lon: Math.round(p.lon * 1e4) / 1e4 });
  });

  it('gives fewer points for a wider spacing, and one point for a cell larger than the network', () => {
    expect(networkGrid(a13, 10)).toEqual([
      { lat: 47.0452, lon: 11.452 },
      { lat: 47.1296, lon: 11.452 },
      { lat: 47.2139, lon: 11.452 },
    ]);
    expect(networkGrid(a13, 200)).toHaveLength(1);
  });
});

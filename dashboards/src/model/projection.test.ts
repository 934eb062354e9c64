import distance from '@turf/distance';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitView, fromScreen, pan, project, projectionFor, toScreen, unproject, zoomAt } from './projection.js';

const a13 = projectionFor({ minLon: 11.433, minLat: 47.003, maxLon: 11.507, maxLat: 47.256 });

describe('local projection', () => {
  it('centres on the bounds and measures metres', () => {
    expect(a13.lon0).toBeCloseTo(11.47, 12);
    expect(a13.lat0).toBeCloseTo(47.1295, 12);
    expect(project(a13, a13.lon0, a13.lat0)).toEqual([0, 0]);
    // One degree of latitude is pi/180 x 6,371,008.8 m = 111,195.08 m on the mean sphere; of longitude, that times cos(lat0).
    expect(project(a13, 11.47, 48.1295)[1]).toBeCloseTo(111_195.08, 1);
    expect(project(a13, 12.47, 47.1295)[0]).toBeCloseTo(111_195.08 * Math.cos((47.1295 * Math.PI) / 180), 1);
  });

  it('keeps distances across the A13 within 0.1 % of the geodesic (haversine) ones', () => {
    const [x1, y1] = project(a13, 11.433, 47.256);
    const [x2, y2] = project(a13, 11.507, 47.003);
    const geodesic = distance([11.433, 47.256], [11.507, 47.003], { units: 'meters' });
    expect(Math.abs(Math.hypot(x2 - x1, y2 - y1) / geodesic - 1)).toBeLessThan(0.001);
  });

  it('round-trips through unproject', () => {
    fc.assert(
      fc.property(fc.double({ min: 10, max: 13, noNaN: true }), fc.double({ min: 46, max: 48, noNaN: true }), (lon, lat) => {
        const [x, y] = project(a13, lon, lat);
        const [lon2, lat2] = unproject(a13, x, y);
        expect(lon2).toBeCloseTo(lon, 9);
        expect(lat2).toBeCloseTo(lat, 9);
      }),
    );
  });
});

describe('views', () => {
  it('fit a box into the viewport, centred, north up', () => {
    const v = fitView({ minX: -1000, minY: -2000, maxX: 1000, maxY: 2000 }, 420, 420, 10);
    expect(v.scale).toBe(0.1);
    expect(toScreen(v, 0, 0)).toEqual([210, 210]);
    expect(toScreen(v, -1000, 2000)).toEqual([110, 10]);
    expect(toScreen(v, 1000, -2000)).toEqual([310, 410]);
  });

  it('give a single point a minimum span', () => {
    const v = fitView({ minX: 50, minY: 50, maxX: 50, maxY: 50 }, 100, 100, 0, 500);
    expect(v.scale).toBe(0.2);
    expect(toScreen(v, 50, 50)).toEqual([50, 50]);
  });

  it('zoom about the pointer: the point under it stays put, within the scale limits', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 1, noNaN: true }), fc.double({ min: 0.2, max: 5, noNaN: true }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 800 }), (scale, factor, sx, sy) => {
        const v = { scale, tx: 17, ty: -3 };
        const before = fromScreen(v, sx, sy);
        const z = zoomAt(v, factor, sx, sy, 0.0001, 10);
        const [ax, ay] = toScreen(z, before[0], before[1]);
        expect(ax).toBeCloseTo(sx, 6);
        expect(ay).toBeCloseTo(sy, 6);
      }),
    );
    expect(zoomAt({ scale: 1, tx: 0, ty: 0 }, 100, 0, 0, 0.5, 4).scale).toBe(4);
    expect(zoomAt({ scale: 1, tx: 0, ty: 0 }, 0.01, 0, 0, 0.5, 4).scale).toBe(0.5);
  });

  it('pan in pixels', () => {
    expect(pan({ scale: 2, tx: 1, ty: 1 }, 10, -5)).toEqual({ scale: 2, tx: 11, ty: -4 });
  });
});

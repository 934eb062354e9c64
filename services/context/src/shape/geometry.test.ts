import { destination } from '@turf/turf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Position } from '@saferoads/shared/network';
import { straightLine } from '../testing/networks.js';
import { compassDeg, curvature, headingPieces, midpoint, netGradePct, thinVertices, turnDeg } from './geometry.js';

/** `n` vertices on a circle of radius `r` m around (11.4, 47.2), `spacingM` apart (chord), turning right or left. */
function arc(r: number, spacingM: number, n: number, startDeg = 30, clockwise = true): Position[] {
  const step = ((2 * Math.asin(spacingM / (2 * r))) * 180) / Math.PI;
  return Array.from({ length: n }, (_, k) => destination([11.4, 47.2], r, startDeg + (clockwise ? k : -k) * step, { units: 'meters' }).geometry.coordinates as Position);
}

describe('curvature', () => {
  it.each([
    [500, 20],
    [50, 5],
    [200, 10],
    [5_000, 50],
  ])('a circular arc of radius %d m (vertices %d m apart) has that radius, within 1e-5 relative', (r, spacing) => {
    const c = curvature(arc(r, spacing, 40), 0, 10_000);
    expect(Math.abs(c.minRadiusM - r) / r).toBeLessThan(1e-5);
  });

  it('turning per km on an arc: (n - 2) interior turns of the central angle over (n - 1) chords', () => {
    const [r, s, n] = [500, 20, 40];
    const step = ((2 * Math.asin(s / (2 * r))) * 180) / Math.PI;
    const c = curvature(arc(r, s, n), 0, 10_000);
    const expected = ((n - 2) * step) / (((n - 1) * s) / 1000); // 111.6607588 deg/km, about 1000/R rad/km
    expect(c.degPerKm).toBeCloseTo(expected, 4);
    expect(c.degPerKm).toBeCloseTo(111.66076, 3);
  });

  it('any arc gives its radius, whichever the direction of turn, the start and the spacing (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 30, max: 8_000 }),
        fc.double({ min: 0.01, max: 0.2, noNaN: true }),
        fc.integer({ min: 0, max: 359 }),
        fc.boolean(),
        (r, spacingShare, start, clockwise) => {
          const c = curvature(arc(r, r * spacingShare, 12, start, clockwise), 0, 10_000);
          expect(Math.abs(c.minRadiusM - r) / r).toBeLessThan(1e-5);
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each([0, 37, 90, 133, 250, 359])('a straight line heading %d° has zero curvature and the capped radius', (h) => {
    expect(curvature(straightLine([11.4, 47.2], h, 1_500, 31), 10, 10_000)).toEqual({ degPerKm: 0, minRadiusM: 10_000 });
  });

  it('a right-angle corner between two straight 100 m arms turns 90° and fits a circle through its three vertices', () => {
    const a: Position = [11.4, 47.2];
    const b = destination(a, 100, 0, { units: 'meters' }).geometry.coordinates as Position;
    const c = destination(b, 100, 90, { units: 'meters' }).geometry.coordinates as Position;
    const k = curvature([a, b, c], 10, 10_000);
    // |AC| = 100 sqrt 2, turn 90°: R = |AC| / (2 sin 90°) = 70.71 m; 90° over 0.2 km = 450 deg/km.
    expect(k.minRadiusM).toBeCloseTo(70.71, 1);
    expect(k.degPerKm).toBeCloseTo(450, 1);
  });

  it('jitter of vertices closer than the minimum arm is not read as a tight curve', () => {
    // A straight line with a vertex every 1 m, each pushed 5 cm sideways in turn.
    const base = straightLine([11.4, 47.2], 0, 200, 201);
    const jittered = base.map((p, k) => (k % 2 === 1 ? (destination(p, 0.05, 90, { units: 'meters' }).geometry.coordinates as Position) : p));
    expect(curvature(jittered, 0, 10_000).minRadiusM).toBeCloseTo(10, 0); // every raw triple is a kink: |AC| 2 m, turn 5.7°
    expect(curvature(jittered, 10, 10_000).minRadiusM).toBeGreaterThan(1_000);
  });
});

describe('thinVertices', () => {
  it('keeps the ends and vertices at least the arm apart; a short last piece replaces the last kept vertex', () => {
    const line = straightLine([11.4, 47.2], 0, 45, 10); // vertices every 5 m
    const kept = thinVertices(line, 9.9);
    expect(kept).toEqual([line[0], line[2], line[4], line[6], line[9]]); // 0, 10, 20, 30 and 45 (replacing 40)
  });

  it('drops duplicate vertices even with no minimum arm', () => {
    const [a, b] = straightLine([11.4, 47.2], 0, 100, 2);
    expect(thinVertices([a, a, b, b], 0)).toEqual([a, b]);
  });
});

describe('bearings', () => {
  it.each([
    [0, 0],
    [360, 0],
    [-90, 270],
    [725, 5],
  ])('compassDeg(%d) = %d', (x, want) => expect(compassDeg(x)).toBe(want));

  it.each([
    [350, 10, 20],
    [10, 350, -20],
    [0, 180, 180],
    [90, 90, 0],
  ])('turn from %d° to %d° is %d°', (a, b, want) => expect(turnDeg(a, b)).toBe(want));
});

describe('grade, midpoint, heading pieces', () => {
  it('net grade is rise over length, uphill positive; NaN without elevations', () => {
    const up = straightLine([11.4, 47.2], 0, 1_000, 5, [600, 650]);
    expect(netGradePct(up, 1_000)).toBeCloseTo(5, 9);
    expect(netGradePct([...up].reverse(), 1_000)).toBeCloseTo(-5, 9);
    expect(netGradePct(straightLine([11.4, 47.2], 0, 1_000, 5), 1_000)).toBeNaN();
  });

  it('the midpoint is halfway along the line, with its elevation interpolated', () => {
    const line = straightLine([11.4, 47.2], 0, 1_000, 3, [600, 700]);
    const m = midpoint(line, 1_000);
    const half = destination([11.4, 47.2], 500, 0, { units: 'meters' }).geometry.coordinates;
    expect(m.lon).toBeCloseTo(half[0], 9);
    expect(m.lat).toBeCloseTo(half[1], 9);
    expect(m.elevationM).toBeCloseTo(650, 6);
  });

  it('heading pieces: an L of 300 m north then 100 m east is 75% at 0° and 25% at 90°', () => {
    const a: Position = [11.4, 47.2];
    const b = destination(a, 300, 0, { units: 'meters' }).geometry.coordinates as Position;
    const c = destination(b, 100, 90, { units: 'meters' }).geometry.coordinates as Position;
    const p = headingPieces([a, b, c]);
    expect([...p.headingsDeg]).toEqual([0, 90]);
    expect(p.shares[0]).toBeCloseTo(0.75, 6);
    expect(p.shares[1]).toBeCloseTo(0.25, 6);
  });
});

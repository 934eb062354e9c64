import { describe, expect, it } from 'vitest';
import { loadNetwork, orderedChains, type Segment } from '@saferoads/shared/network';
import { segmentFeature, testNetwork } from '../testing/networks.js';
import { rampOffsetM } from './ramps.js';
import { computeRoadShapes } from './road-shape.js';

const network = loadNetwork();
const shapes = computeRoadShapes(network);

describe('road shape of the bundled A13 network', () => {
  it('every segment gets a shape, in network order', () => {
    expect(shapes.map((s) => s.segmentId)).toEqual(network.segments.map((s) => s.id));
    expect(shapes.map((s) => s.index)).toEqual(network.segments.map((s) => s.index));
  });

  it('values are in sane ranges for a motorway', () => {
    for (const s of shapes) {
      expect(s.lengthM).toBeGreaterThan(500);
      expect(s.lengthM).toBeLessThan(1_800);
      expect(s.headingDeg).toBeGreaterThanOrEqual(0);
      expect(s.headingDeg).toBeLessThan(360);
      expect(s.curvatureDegPerKm).toBeGreaterThan(0); // the route is a spline: nothing is dead straight
      expect(s.curvatureDegPerKm).toBeLessThan(150);
      expect(s.minRadiusM).toBeGreaterThan(250); // motorway radii at 80-100 km/h
      expect(s.minRadiusM).toBeLessThanOrEqual(10_000);
      expect(s.gradeKnown).toBe(true);
      expect(Math.abs(s.gradePct)).toBeLessThan(6);
      expect([2, 3]).toContain(s.lanes);
      expect([80, 100]).toContain(s.speedLimitKmh);
      expect(s.surfaceQuality).toBeGreaterThanOrEqual(0.58);
      expect(s.surfaceQuality).toBeLessThanOrEqual(0.95);
      expect(s.midpoint.elevationM).toBeGreaterThan(570);
      expect(s.midpoint.elevationM).toBeLessThan(1_380);
      expect(s.headingShares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
  });

  it('southbound climbs to the Brenner and northbound descends', () => {
    const south = shapes.filter((s) => s.segmentId.startsWith('A13-S-'));
    const north = shapes.filter((s) => s.segmentId.startsWith('A13-N-'));
    expect(south.every((s) => s.gradePct > 0)).toBe(true);
    expect(north.every((s) => s.gradePct < 0)).toBe(true);
    // Southbound runs south overall, northbound north.
    expect(south.filter((s) => Math.cos((s.headingDeg * Math.PI) / 180) < 0).length).toBeGreaterThan(30);
    expect(north.filter((s) => Math.cos((s.headingDeg * Math.PI) / 180) > 0).length).toBeGreaterThan(30);
  });

  it('tunnel and bridge flags are those of the file (Bergisel tunnel; Europabrücke and Luegbrücke)', () => {
    expect(shapes.filter((s) => s.tunnel).map((s) => s.segmentId)).toEqual(['A13-S-003', 'A13-N-034']);
    expect(shapes.filter((s) => s.bridge).map((s) => s.segmentId)).toEqual(['A13-S-010', 'A13-S-033', 'A13-N-004', 'A13-N-027']);
    for (const s of shapes) expect(s.structure).toBe(network.segments[s.index].props.structure);
  });

  it('urban from Amras to Innsbruck-Süd, rural after, as the file says', () => {
    for (const s of shapes) expect(s.urban).toBe(network.segments[s.index].props.area === 'urban');
    expect(shapes.filter((s) => s.urban).length).toBe(8);
  });

  it('neighbour counts follow the topology: one chain per carriageway', () => {
    for (const s of shapes) {
      const seg = network.segments[s.index];
      expect([s.upstreamCount, s.downstreamCount]).toEqual([seg.upstream.length, seg.downstream.length]);
    }
    expect(shapes.filter((s) => s.upstreamCount === 0).map((s) => s.segmentId)).toEqual(['A13-S-001', 'A13-N-001']);
    expect(shapes.filter((s) => s.downstreamCount === 0).map((s) => s.segmentId)).toEqual(['A13-S-036', 'A13-N-036']);
  });

  it('the lane drop 3 -> 2 before the Bergisel tunnel shows on A13-S-001', () => {
    expect(shapes[network.byId.get('A13-S-001')!.index].lanesChangeDownstream).toBe(-1);
    expect(shapes[network.byId.get('A13-S-036')!.index].lanesChangeDownstream).toBe(0);
  });

  it('ramp distances agree with chainage along each carriageway (an independent oracle)', () => {
    for (const chain of orderedChains(network)) {
      // Chainage of every segment start, and of every ramp of each kind.
      const start = new Map<string, number>();
      const ramps: Record<'on' | 'off', number[]> = { on: [], off: [] };
      let at = 0;
      for (const seg of chain) {
        start.set(seg.id, at);
        for (const r of seg.ramps) ramps[r.props.kind].push(at + rampOffsetM(seg, r));
        at += seg.lengthM;
      }
      const dist = (seg: Segment, kind: 'on' | 'off'): number => {
        const a = start.get(seg.id)!;
        const b = a + seg.lengthM;
        if (seg.ramps.some((r) => r.props.kind === kind)) return 0;
        return Math.min(10_000, ...ramps[kind].map((x) => (x < a ? a - x : x - b)));
      };
      for (const seg of chain) {
        const s = shapes[seg.index];
        expect(s.distOnRampM).toBeCloseTo(dist(seg, 'on'), 6);
        expect(s.distOffRampM).toBeCloseTo(dist(seg, 'off'), 6);
      }
    }
    // Six junctions per direction, each an off- and an on-ramp on their own segments.
    expect(shapes.filter((s) => s.distOnRampM === 0).length).toBe(12);
    expect(shapes.filter((s) => s.distOffRampM === 0).length).toBe(12);
  });
});

describe('defaults where the file is silent', () => {
  it('no elevation: grade 0 and unknown; no surface quality: the default; no area: rural', () => {
    const [s] = computeRoadShapes(testNetwork([segmentFeature({ id: 'X', from: [11.4, 47.2], headingDeg: 90, lengthM: 1_000 })]), {
      defaultSurfaceQuality: 0.6,
    });
    expect([s.gradePct, s.gradeKnown, s.surfaceQuality, s.urban, s.tunnel, s.bridge]).toEqual([0, false, 0.6, false, false, false]);
    expect(s.headingDeg).toBeCloseTo(90, 9);
    expect(s.midpoint.elevationM).toBeNaN();
    expect([s.distOnRampM, s.distOffRampM, s.upstreamCount, s.downstreamCount, s.lanesChangeDownstream]).toEqual([10_000, 10_000, 0, 0, 0]);
  });
});

import { loadNetwork } from '@saferoads/shared/network';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceToSegment2, hitTest, prepareNetwork, segmentBox, traceSegment, type PathSink } from './geometry.js';
import { fitView, toScreen } from './projection.js';

class Recorder implements PathSink {
  readonly points: [string, number, number][] = [];
  moveTo(x: number, y: number) {
    this.points.push(['M', x, y]);
  }
  lineTo(x: number, y: number) {
    this.points.push(['L', x, y]);
  }
}

// A dual carriageway running north-south at lon 11, and an east-west road north of it.
const lines = [
  { id: 'N', coordinates: [[11, 47], [11, 47.01], [11, 47.02]] },
  { id: 'S', coordinates: [[11, 47.02], [11, 47.01], [11, 47]] },
  { id: 'E', coordinates: [[11, 47.03], [11.01, 47.03]] },
];

describe('prepared network', () => {
  const net = prepareNetwork(lines);

  it('projects every vertex once, indexed by segment', () => {
    expect([...net.start]).toEqual([0, 3, 6, 8]);
    expect(net.ids).toEqual(['N', 'S', 'E']);
    expect(net.indexOf.get('E')).toBe(2);
    const box = segmentBox(net, 0);
    expect(box.minX).toBeCloseTo(box.maxX, 9);
    expect(box.maxY - box.minY).toBeCloseTo(0.02 * 111_195.08, 0);
  });

  it('puts each carriageway\'s normal to the right of its direction of travel', () => {
    // Northbound: right is east (+x); southbound: right is west; eastbound: right is south (-y).
    expect(net.normal[0]).toBe(1);
    expect(net.normal[1]).toBeCloseTo(0, 12);
    expect(net.normal[6]).toBe(-1);
    expect(net.normal[7]).toBeCloseTo(0, 12);
    expect(net.normal[12]).toBeCloseTo(0, 12);
    expect(net.normal[13]).toBe(-1);
  });

  it('traces the carriageways apart on screen by twice the offset', () => {
    const view = fitView(net.extent, 400, 400, 20);
    const n = new Recorder();
    const s = new Recorder();
    expect(traceSegment(net, 0, view, 4, 0, n)).toBe(3);
    expect(traceSegment(net, 1, view, 4, 0, s)).toBe(3);
    const [cx] = toScreen(view, net.xy[0], net.xy[1]);
    expect(n.points[0][1]).toBeCloseTo(cx + 4, 9);
    expect(s.points[2][1]).toBeCloseTo(cx - 4, 9);
    expect(n.points.map((p) => p[0])).toEqual(['M', 'L', 'L']);
  });

  it('leaves out vertices closer than the minimum step, but never the last one', () => {
    const view = fitView(net.extent, 400, 400, 20);
    const r = new Recorder();
    // The N segment is ~250 px long at this view; its middle vertex is 125 px from either end.
    expect(traceSegment(net, 0, view, 0, 200, r)).toBe(2);
    expect(r.points.map((p) => p[0])).toEqual(['M', 'L']);
  });

  it('hit-tests the line as drawn, not the geometry under it', () => {
    const view = fitView(net.extent, 400, 400, 20);
    const [x, y] = toScreen(view, net.xy[2], net.xy[3]);
    expect(hitTest(net, view, x + 4, y, 4, 3)).toBe(0);
    expect(hitTest(net, view, x - 4, y, 4, 3)).toBe(1);
    expect(hitTest(net, view, x + 40, y, 4, 3)).toBe(-1);
    const [ex, ey] = toScreen(view, net.xy[14], net.xy[15]);
    expect(hitTest(net, view, ex, ey + 4, 4, 3)).toBe(2);
  });

  it('refuses a line of one position', () => {
    expect(() => prepareNetwork([{ id: 'X', coordinates: [[1, 1]] }])).toThrow('segment X: a line needs at least 2 positions, got 1');
    expect(() => prepareNetwork([])).toThrow('the network has no segments to draw');
  });
});

describe('the bundled A13 network', () => {
  const a13 = loadNetwork();
  const net = prepareNetwork(a13.segments.map((s) => ({ id: s.id, coordinates: s.coordinates })));

  it('finds every segment at the middle vertex of its line as drawn', () => {
    const view = fitView(net.extent, 1200, 2000, 10);
    for (let i = 0; i < net.ids.length; i++) {
      const k = Math.floor((net.start[i] + net.start[i + 1]) / 2);
      const [x, y] = toScreen(view, net.xy[2 * k], net.xy[2 * k + 1]);
      expect(net.ids[hitTest(net, view, x + net.normal[2 * k] * 4, y - net.normal[2 * k + 1] * 4, 4, 2)]).toBe(net.ids[i]);
    }
  });
});

describe('distance to a segment', () => {
  it.each([
    [0, 1, 0, 0, 2, 0, 1],
    [3, 0, 0, 0, 2, 0, 1],
    [-1, -1, 0, 0, 2, 0, 2],
    [5, 5, 1, 1, 1, 1, 32],
  ])('from (%d, %d) to (%d, %d)-(%d, %d) is sqrt(%d)', (px, py, ax, ay, bx, by, d2) => {
    expect(distanceToSegment2(px, py, ax, ay, bx, by)).toBe(d2);
  });

  it('is never more than the distance to either end', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 6, maxLength: 6 }), ([px, py, ax, ay, bx, by]) => {
        const d = distanceToSegment2(px, py, ax, ay, bx, by);
        expect(d).toBeLessThanOrEqual((px - ax) ** 2 + (py - ay) ** 2 + 1e-9);
        expect(d).toBeLessThanOrEqual((px - bx) ** 2 + (py - by) ** 2 + 1e-9);
      }),
    );
  });
});

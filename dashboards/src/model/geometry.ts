import Flatbush from 'flatbush';
import { type Box, type Projection, type View, project, projectionFor } from './projection.js';

/** Where a path goes: CanvasRenderingContext2D and Path2D both fit. */
export interface PathSink {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
}

/**
 * The network projected once, in flat arrays: segment i's vertices are xy[2*start[i]] ..
 * xy[2*start[i+1]-1], each with the unit normal pointing to the right of the direction of travel
 * (a dual carriageway's two lines are pushed apart on screen by drawing each a few pixels to its
 * right, as traffic maps do: 35 m between them is under one pixel at the network's full extent).
 */
export interface PreparedNetwork {
  readonly projection: Projection;
  readonly ids: readonly string[];
  readonly indexOf: ReadonlyMap<string, number>;
  readonly start: Uint32Array;
  readonly xy: Float64Array;
  readonly normal: Float64Array;
  /** Per segment: minX, minY, maxX, maxY in projected metres. */
  readonly bbox: Float64Array;
  readonly extent: Box;
  readonly index: Flatbush;
}

export interface LineInput {
  readonly id: string;
  readonly coordinates: readonly (readonly number[])[];
}

export function prepareNetwork(lines: readonly LineInput[]): PreparedNetwork {
  if (lines.length === 0) throw new Error('the network has no segments to draw');
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  let vertices = 0;
  for (const l of lines) {
    if (l.coordinates.length < 2) throw new Error(`segment ${l.id}: a line needs at least 2 positions, got ${l.coordinates.length}`);
    vertices += l.coordinates.length;
    for (const c of l.coordinates) {
      if (c[0] < minLon) minLon = c[0];
      if (c[0] > maxLon) maxLon = c[0];
      if (c[1] < minLat) minLat = c[1];
      if (c[1] > maxLat) maxLat = c[1];
    }
  }
  const projection = projectionFor({ minLon, minLat, maxLon, maxLat });
  const start = new Uint32Array(lines.length + 1);
  const xy = new Float64Array(vertices * 2);
  const normal = new Float64Array(vertices * 2);
  const bbox = new Float64Array(lines.length * 4);
  const index = new Flatbush(lines.length);
  const indexOf = new Map<string, number>();
  let v = 0;
  lines.forEach((l, i) => {
    indexOf.set(l.id, i);
    start[i] = v;
    let bx0 = Infinity, by0 = Infinity, bx1 = -Infinity, by1 = -Infinity;
    for (const c of l.coordinates) {
      const [x, y] = project(projection, c[0], c[1]);
      xy[2 * v] = x;
      xy[2 * v + 1] = y;
      if (x < bx0) bx0 = x;
      if (x > bx1) bx1 = x;
      if (y < by0) by0 = y;
      if (y > by1) by1 = y;
      v++;
    }
    vertexNormals(xy, normal, start[i], v);
    bbox.set([bx0, by0, bx1, by1], i * 4);
    index.add(bx0, by0, bx1, by1);
  });
  start[lines.length] = v;
  index.finish();
  const [x0, y0] = project(projection, minLon, minLat);
  const [x1, y1] = project(projection, maxLon, maxLat);
  return { projection, ids: lines.map((l) => l.id), indexOf, start, xy, normal, bbox, extent: { minX: x0, minY: y0, maxX: x1, maxY: y1 }, index };
}

/** Right-hand unit normals at vertices from..to-1: the mean of the adjacent edges' normals. */
function vertexNormals(xy: Float64Array, out: Float64Array, from: number, to: number): void {
  for (let k = from; k < to; k++) {
    let nx = 0, ny = 0;
    for (const [a, b] of [[k - 1, k], [k, k + 1]]) {
      if (a < from || b >= to) continue;
      const dx = xy[2 * b] - xy[2 * a];
      const dy = xy[2 * b + 1] - xy[2 * a + 1];
      const len = Math.hypot(dx, dy);
      if (len > 0) {
        nx += dy / len;
        ny += -dx / len;
      }
    }
    const len = Math.hypot(nx, ny);
    out[2 * k] = len > 0 ? nx / len : 0;
    out[2 * k + 1] = len > 0 ? ny / len : 0;
  }
}

/**
 * Traces segment i in screen pixels, `offsetPx` to the right of travel, leaving out vertices
 * closer than `minStepPx` to the last one drawn (at the full extent a 1 km segment is a few
 * pixels long; its 40 vertices would be wasted work). The last vertex is always drawn.
 * Returns the number of points traced.
 */
export function traceSegment(net: PreparedNetwork, i: number, view: View, offsetPx: number, minStepPx: number, sink: PathSink): number {
  const { xy, normal, start } = net;
  const from = start[i];
  const to = start[i + 1];
  const { scale, tx, ty } = view;
  let lx = xy[2 * from] * scale + tx + normal[2 * from] * offsetPx;
  let ly = -xy[2 * from + 1] * scale + ty - normal[2 * from + 1] * offsetPx;
  sink.moveTo(lx, ly);
  let n = 1;
  const min2 = minStepPx * minStepPx;
  for (let k = from + 1; k < to; k++) {
    const sx = xy[2 * k] * scale + tx + normal[2 * k] * offsetPx;
    const sy = -xy[2 * k + 1] * scale + ty - normal[2 * k + 1] * offsetPx;
    const dx = sx - lx;
    const dy = sy - ly;
    if (k < to - 1 && dx * dx + dy * dy < min2) continue;
    sink.lineTo(sx, sy);
    lx = sx;
    ly = sy;
    n++;
  }
  return n;
}

/** Squared distance from (px, py) to the segment (ax, ay)-(bx, by). */
export function distanceToSegment2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  const ex = ax + t * dx - px;
  const ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}

/**
 * The segment drawn nearest to screen point (sx, sy) within `tolerancePx`, or -1. Candidates come
 * from the spatial index (their boxes grown by the tolerance and the drawing offset), then the
 * distance is measured to each candidate's line as drawn.
 */
export function hitTest(net: PreparedNetwork, view: View, sx: number, sy: number, offsetPx: number, tolerancePx: number): number {
  const x = (sx - view.tx) / view.scale;
  const y = -(sy - view.ty) / view.scale;
  const r = (tolerancePx + Math.abs(offsetPx)) / view.scale;
  const candidates = net.index.search(x - r, y - r, x + r, y + r);
  let best = -1;
  let bestD = tolerancePx * tolerancePx;
  const { xy, normal, start } = net;
  for (const i of candidates) {
    let ax = 0, ay = 0;
    for (let k = start[i]; k < start[i + 1]; k++) {
      const bx = xy[2 * k] * view.scale + view.tx + normal[2 * k] * offsetPx;
      const by = -xy[2 * k + 1] * view.scale + view.ty - normal[2 * k + 1] * offsetPx;
      if (k > start[i]) {
        const d = distanceToSegment2(sx, sy, ax, ay, bx, by);
        if (d <= bestD) {
          bestD = d;
          best = i;
        }
      }
      ax = bx;
      ay = by;
    }
  }
  return best;
}

/** Bounding box of segment i in projected metres. */
export function segmentBox(net: PreparedNetwork, i: number): Box {
  const b = net.bbox;
  return { minX: b[4 * i], minY: b[4 * i + 1], maxX: b[4 * i + 2], maxY: b[4 * i + 3] };
}

/**
 * A local projection for a regional network: equirectangular around the network's centre, in
 * metres (x east, y north). Over a few hundred kilometres its distortion is well under what a
 * screen shows, and it needs no map library.
 */
export interface Projection {
  readonly lon0: number;
  readonly lat0: number;
  /** Metres per degree of longitude at lat0, and of latitude. */
  readonly mx: number;
  readonly my: number;
}

/** Mean radius of the WGS 84 ellipsoid, in metres. */
const EARTH_RADIUS_M = 6_371_008.8;
const M_PER_DEG = (Math.PI / 180) * EARTH_RADIUS_M;

export interface LonLatBounds {
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;
}

export function projectionFor(b: LonLatBounds): Projection {
  const lat0 = (b.minLat + b.maxLat) / 2;
  return { lon0: (b.minLon + b.maxLon) / 2, lat0, mx: M_PER_DEG * Math.cos((lat0 * Math.PI) / 180), my: M_PER_DEG };
}

export function project(p: Projection, lon: number, lat: number): [number, number] {
  return [(lon - p.lon0) * p.mx, (lat - p.lat0) * p.my];
}

export function unproject(p: Projection, x: number, y: number): [number, number] {
  return [p.lon0 + x / p.mx, p.lat0 + y / p.my];
}

/** Screen pixel = (x * scale + tx, -y * scale + ty): north up, scale in pixels per metre. */
export interface View {
  readonly scale: number;
  readonly tx: number;
  readonly ty: number;
}

export interface Box {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

export function toScreen(v: View, x: number, y: number): [number, number] {
  return [x * v.scale + v.tx, -y * v.scale + v.ty];
}

export function fromScreen(v: View, sx: number, sy: number): [number, number] {
  return [(sx - v.tx) / v.scale, -(sy - v.ty) / v.scale];
}

/**
 * The view that shows `box` (projected metres) centred in a width x height viewport with
 * `padding` pixels on every side. A box of no extent (one point) gets `minSpanM` around it.
 */
export function fitView(box: Box, width: number, height: number, padding: number, minSpanM = 500): View {
  const w = Math.max(box.maxX - box.minX, minSpanM);
  const h = Math.max(box.maxY - box.minY, minSpanM);
  const scale = Math.min(Math.max(width - 2 * padding, 1) / w, Math.max(height - 2 * padding, 1) / h);
  const cx = (box.minX + box.maxX) / 2;
  const cy = (box.minY + box.maxY) / 2;
  return { scale, tx: width / 2 - cx * scale, ty: height / 2 + cy * scale };
}

/** Zooms by `factor` keeping the point under screen (sx, sy) in place; scale kept within [minScale, maxScale]. */
export function zoomAt(v: View, factor: number, sx: number, sy: number, minScale: number, maxScale: number): View {
  const scale = Math.min(maxScale, Math.max(minScale, v.scale * factor));
  const k = scale / v.scale;
  return { scale, tx: sx - (sx - v.tx) * k, ty: sy - (sy - v.ty) * k };
}

export function pan(v: View, dx: number, dy: number): View {
  return { scale: v.scale, tx: v.tx + dx, ty: v.ty + dy };
}

/**
 * Generates the bundled demo network, services/shared/data/networks/a13-brenner.geojson: an
 * approximate model of the A13 Brenner Autobahn (Innsbruck-Amras to the Brenner pass), both
 * carriageways, split into segments with detectors, plus the junction ramps.
 *
 *   node --import tsx scripts/build-network.ts           # writes the file
 *   node --import tsx scripts/build-network.ts --check   # exit 1 if the committed file is stale
 *
 * The route is traced from waypoints read off public maps and the motorway's published chainage
 * (junctions, tunnel, bridges, toll plaza), smoothed with a Catmull-Rom spline. It is not survey data.
 * The output is deterministic: same code, same bytes.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bearing, destination, distance } from '@turf/turf';
import { parseNetwork } from '../services/shared/src/network/parse.js';
import { orderedChains } from '../services/shared/src/network/topology.js';

type LonLat = [number, number];
type Pos3 = [number, number, number];
type Direction = 'southbound' | 'northbound';

const OUT = fileURLToPath(new URL('../services/shared/data/networks/a13-brenner.geojson', import.meta.url));
/** Vertex spacing of the resampled centreline, metres: fine enough for curvature on 400 m radii. */
const STEP_M = 25;
/** Each carriageway's centre lies this far from the motorway axis. */
const CARRIAGEWAY_OFFSET_M = 17.5;
/** Segments aim at just under a kilometre, roughly the spacing of detector stations on motorways. */
const TARGET_SEGMENT_M = 900;
const MIN_SEGMENT_M = 520; // margin over the 500 m floor: inner carriageways on curves are shorter
const MAX_SEGMENT_M = 1950;

type Mark =
  | { kind: 'junction'; name: string; code: string; rampM: number }
  | { kind: 'tunnel' | 'bridge'; name: string; edge: 'start' | 'end' }
  | { kind: 'toll'; name: string };

interface Waypoint {
  readonly lat: number;
  readonly lon: number;
  /** Road elevation, metres above sea level. */
  readonly ele: number;
  readonly mark?: Mark;
}

const junction = (name: string, code: string, rampM: number): Mark => ({ kind: 'junction', name, code, rampM });

// Southbound order, Innsbruck to Brenner. Comments give the approximate official chainage (km).
const WAYPOINTS: readonly Waypoint[] = [
  { lat: 47.256, lon: 11.433, ele: 582 }, // 0.0 Knoten Innsbruck-Amras (A12)
  { lat: 47.2538, lon: 11.4255, ele: 584 },
  { lat: 47.2518, lon: 11.417, ele: 590 }, // Paschbergbrücke
  { lat: 47.25, lon: 11.4105, ele: 597 }, // Bergiselbrücke over the Sill
  { lat: 47.2487, lon: 11.4068, ele: 603, mark: { kind: 'tunnel', name: 'Bergisel tunnel', edge: 'start' } }, // 1.5
  { lat: 47.2444, lon: 11.403, ele: 621, mark: { kind: 'tunnel', name: 'Bergisel tunnel', edge: 'end' } },
  { lat: 47.2405, lon: 11.3998, ele: 638 }, // Knoten Bergisel (Westspange)
  { lat: 47.2368, lon: 11.3992, ele: 650, mark: junction('Innsbruck-Süd', 'INNSBRUCK-SUED', 320) }, // 3.1
  { lat: 47.2335, lon: 11.401, ele: 661 }, // Sonnbergbrücke over the Sill
  { lat: 47.229, lon: 11.405, ele: 686 },
  { lat: 47.2245, lon: 11.4075, ele: 714 }, // Zenzenhof
  { lat: 47.218, lon: 11.4105, ele: 748 },
  { lat: 47.2145, lon: 11.4118, ele: 766 },
  { lat: 47.2095, lon: 11.4115, ele: 784, mark: junction('Patsch/Igls', 'PATSCH-IGLS', 300) }, // 6.9
  { lat: 47.2043, lon: 11.4062, ele: 797, mark: { kind: 'bridge', name: 'Europabrücke', edge: 'start' } }, // 7.5
  { lat: 47.2001, lon: 11.3976, ele: 806, mark: { kind: 'bridge', name: 'Europabrücke', edge: 'end' } },
  { lat: 47.1955, lon: 11.3958, ele: 822 }, // Raststation Europabrücke, Unterflurtrasse Schönberg
  { lat: 47.1893, lon: 11.3995, ele: 845 },
  { lat: 47.1855, lon: 11.404, ele: 857, mark: junction('Stubaital', 'STUBAITAL', 380) }, // 10.0 Schönberg
  { lat: 47.1805, lon: 11.408, ele: 870, mark: { kind: 'toll', name: 'Schönberg toll plaza' } }, // 10.7
  { lat: 47.172, lon: 11.414, ele: 893 },
  { lat: 47.16, lon: 11.4215, ele: 924 }, // hillside bridges Schönberg-Matrei
  { lat: 47.148, lon: 11.43, ele: 954 },
  { lat: 47.1365, lon: 11.4395, ele: 984 }, // Raststation Matrei
  { lat: 47.1265, lon: 11.446, ele: 1009 },
  { lat: 47.1175, lon: 11.45, ele: 1034, mark: junction('Matrei/Steinach', 'MATREI-STEINACH', 420) }, // 19
  { lat: 47.106, lon: 11.4555, ele: 1058 },
  { lat: 47.095, lon: 11.4595, ele: 1079 }, // Gschnitztalbrücke
  { lat: 47.084, lon: 11.4625, ele: 1104 },
  { lat: 47.072, lon: 11.468, ele: 1139 },
  { lat: 47.06, lon: 11.473, ele: 1179 },
  { lat: 47.048, lon: 11.4785, ele: 1224, mark: junction('Nösslach/Gries', 'NOESSLACH', 300) }, // 27
  { lat: 47.042, lon: 11.485, ele: 1239 },
  { lat: 47.038, lon: 11.4905, ele: 1249, mark: { kind: 'bridge', name: 'Luegbrücke', edge: 'start' } },
  { lat: 47.024, lon: 11.4985, ele: 1284, mark: { kind: 'bridge', name: 'Luegbrücke', edge: 'end' } },
  { lat: 47.0165, lon: 11.503, ele: 1314, mark: junction('Brennersee', 'BRENNERSEE', 280) }, // 33
  { lat: 47.0115, lon: 11.5048, ele: 1334 }, // past the lake, the curves down to the border post
  { lat: 47.007, lon: 11.5082, ele: 1356 },
  { lat: 47.003, lon: 11.5072, ele: 1372 }, // 34.5 Brenner, border with Italy
];

/** Where the toll plaza segment ends beyond the booths (it starts at the Stubaital junction). */
const TOLL_RUNOUT_M = 300;
/** Speed limit 80 on the last stretch: the tight curves down to the Brenner border post. */
const BRENNER_CURVES_M = 1700;

// ---------------------------------------------------------------------------------------------
// Geometry

function cumulative(points: readonly LonLat[]): number[] {
  const out = [0];
  for (let i = 1; i < points.length; i++) out.push(out[i - 1] + distance(points[i - 1], points[i], { units: 'meters' }));
  return out;
}

/** Evenly spaced vertices along a dense polyline (linear interpolation between its points). */
function resample(points: readonly LonLat[], step: number): LonLat[] {
  const cum = cumulative(points);
  const total = cum[cum.length - 1];
  const n = Math.round(total / step);
  const out: LonLat[] = [];
  let j = 0;
  for (let k = 0; k <= n; k++) {
    const s = (total * k) / n;
    while (j < points.length - 2 && cum[j + 1] < s) j++;
    const t = cum[j + 1] === cum[j] ? 0 : (s - cum[j]) / (cum[j + 1] - cum[j]);
    const [a, b] = [points[j], points[j + 1]];
    out.push([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]);
  }
  return out;
}

/** Travel bearing at each vertex, from its neighbours. */
function headings(points: readonly LonLat[]): number[] {
  return points.map((_, i) => bearing(points[Math.max(0, i - 1)], points[Math.min(points.length - 1, i + 1)]));
}

/** Moves each vertex sideways, positive to the right of the direction of travel. */
function offsetRight(points: readonly LonLat[], offsetsM: readonly number[]): LonLat[] {
  const h = headings(points);
  return points.map((p, i) => {
    const d = offsetsM[i];
    if (d === 0) return p;
    const side = d > 0 ? 90 : -90;
    return destination(p, Math.abs(d), h[i] + side, { units: 'meters' }).geometry.coordinates as LonLat;
  });
}

const round = (x: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
};
const pos3 = (p: LonLat, ele: number): Pos3 => [round(p[0], 6), round(p[1], 6), round(ele, 1)];
const smoothstep = (t: number): number => t * t * (3 - 2 * t);

// ---------------------------------------------------------------------------------------------
// Centreline, elevations and segment boundaries

interface Centreline {
  readonly points: LonLat[];
  readonly ele: number[];
  /** Vertex index of each waypoint. */
  readonly waypointAt: number[];
}

/**
 * Centripetal Catmull-Rom through the waypoints. Unlike a uniform spline (turf's bezierSpline) it
 * neither overshoots nor kinks where waypoints are unevenly spaced, so curve radii stay
 * motorway-like (hundreds of metres). Works in degrees with longitude scaled by cos(latitude),
 * which is metric enough over 35 km.
 */
function catmullRom(points: readonly LonLat[], samplesPerSpan = 200): LonLat[] {
  const k = Math.cos((points[0][1] * Math.PI) / 180);
  const p = points.map(([lon, lat]): LonLat => [lon * k, lat]);
  const ext = [
    [2 * p[0][0] - p[1][0], 2 * p[0][1] - p[1][1]] as LonLat,
    ...p,
    [2 * p[p.length - 1][0] - p[p.length - 2][0], 2 * p[p.length - 1][1] - p[p.length - 2][1]] as LonLat,
  ];
  const lerp = (a: LonLat, b: LonLat, ta: number, tb: number, t: number): LonLat => {
    const u = tb === ta ? 0 : (t - ta) / (tb - ta);
    return [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u];
  };
  const out: LonLat[] = [];
  for (let i = 1; i < ext.length - 2; i++) {
    const [p0, p1, p2, p3] = [ext[i - 1], ext[i], ext[i + 1], ext[i + 2]];
    const knot = (a: LonLat, b: LonLat): number => Math.sqrt(Math.hypot(b[0] - a[0], b[1] - a[1]));
    const t0 = 0;
    const t1 = t0 + knot(p0, p1);
    const t2 = t1 + knot(p1, p2);
    const t3 = t2 + knot(p2, p3);
    for (let j = 0; j < samplesPerSpan; j++) {
      const t = t1 + ((t2 - t1) * j) / samplesPerSpan;
      const a1 = lerp(p0, p1, t0, t1, t);
      const a2 = lerp(p1, p2, t1, t2, t);
      const a3 = lerp(p2, p3, t2, t3, t);
      const b1 = lerp(a1, a2, t0, t2, t);
      const b2 = lerp(a2, a3, t1, t3, t);
      out.push(lerp(b1, b2, t1, t2, t));
    }
  }
  out.push(p[p.length - 1]);
  return out.map(([x, lat]): LonLat => [x / k, lat]);
}

function buildCentreline(): Centreline {
  const curve = catmullRom(WAYPOINTS.map((w): LonLat => [w.lon, w.lat]));
  const points = resample(curve, STEP_M);
  const waypointAt: number[] = [];
  let from = 0;
  for (const w of WAYPOINTS) {
    let best = from;
    let bestD = Infinity;
    for (let i = from; i < points.length; i++) {
      const d = distance(points[i], [w.lon, w.lat], { units: 'meters' });
      if (d < bestD) [best, bestD] = [i, d];
      if (d > bestD + 2000) break; // walked well past it
    }
    if (bestD > 30) throw new Error(`spline strays ${bestD.toFixed(0)} m from waypoint ${w.lat},${w.lon}`);
    waypointAt.push(best);
    from = best + 1;
  }
  // Linear between waypoints, then a 200 m moving average so grades change gradually.
  const raw = points.map((_, i) => {
    const k = Math.max(0, waypointAt.findIndex((at) => at >= i) - 1);
    const [a, b] = [waypointAt[k], waypointAt[k + 1]];
    const t = b === a ? 0 : (i - a) / (b - a);
    return WAYPOINTS[k].ele + (WAYPOINTS[k + 1].ele - WAYPOINTS[k].ele) * Math.min(1, Math.max(0, t));
  });
  const ele = raw.map((_, i) => {
    // symmetric window, narrowing at the ends so the end elevations stay those of the waypoints
    const half = Math.min(4, i, raw.length - 1 - i);
    const [lo, hi] = [i - half, i + half];
    let sum = 0;
    for (let j = lo; j <= hi; j++) sum += raw[j];
    return sum / (hi - lo + 1);
  });
  return { points, ele, waypointAt };
}

interface Landmarks {
  readonly tunnels: { name: string; from: number; to: number }[];
  readonly bridges: { name: string; from: number; to: number }[];
  readonly junctions: { name: string; code: string; rampM: number; at: number }[];
  readonly toll: { name: string; at: number; to: number };
}

function landmarks(c: Centreline): Landmarks {
  const open = new Map<string, number>();
  const tunnels: Landmarks['tunnels'] = [];
  const bridges: Landmarks['bridges'] = [];
  const junctions: Landmarks['junctions'] = [];
  let toll: Landmarks['toll'] | undefined;
  WAYPOINTS.forEach((w, k) => {
    const at = c.waypointAt[k];
    const m = w.mark;
    if (!m) return;
    if (m.kind === 'junction') junctions.push({ name: m.name, code: m.code, rampM: m.rampM, at });
    else if (m.kind === 'toll') toll = { name: m.name, at, to: at + Math.round(TOLL_RUNOUT_M / STEP_M) };
    else if (m.edge === 'start') open.set(m.name, at);
    else (m.kind === 'tunnel' ? tunnels : bridges).push({ name: m.name, from: open.get(m.name) ?? at, to: at });
  });
  if (!toll) throw new Error('no toll plaza waypoint');
  return { tunnels, bridges, junctions, toll };
}

/** Segment boundaries as centreline vertex indices: every landmark, then ~1 km fill between them. */
function boundaries(c: Centreline, lm: Landmarks): number[] {
  const structures = [...lm.tunnels, ...lm.bridges];
  const fixed = new Set<number>([0, c.points.length - 1, lm.toll.to]);
  for (const s of structures) [s.from, s.to].forEach((i) => fixed.add(i));
  for (const j of lm.junctions) fixed.add(j.at);
  const sorted = [...fixed].sort((a, b) => a - b);
  const out = [sorted[0]];
  for (let k = 1; k < sorted.length; k++) {
    const [a, b] = [sorted[k - 1], sorted[k]];
    // A tunnel or bridge stays one segment: its own weather and grip are the point of marking it.
    const whole = structures.some((s) => s.from === a && s.to === b);
    const pieces = whole ? 1 : Math.max(1, Math.round(((b - a) * STEP_M) / TARGET_SEGMENT_M));
    for (let p = 1; p <= pieces; p++) out.push(a + Math.round(((b - a) * p) / pieces));
  }
  // Fail here, naming the place, when a waypoint edit squeezes landmarks too close together.
  out.slice(1).forEach((b, k) => {
    const m = (b - out[k]) * STEP_M;
    if (m < MIN_SEGMENT_M || m > MAX_SEGMENT_M) throw new Error(`a ${m} m stretch at centreline km ${((out[k] * STEP_M) / 1000).toFixed(2)}`);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Attributes

/** Mulberry32: a tiny seeded PRNG, so surface qualities vary but never between runs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One stretch between two boundaries, in centreline terms (vertex indices, southbound order). */
interface Stretch {
  readonly k: number;
  readonly from: number;
  readonly to: number;
  readonly structure?: { kind: 'tunnel' | 'bridge'; name: string };
  readonly toll: boolean;
}

function stretches(bounds: readonly number[], lm: Landmarks): Stretch[] {
  return bounds.slice(0, -1).map((from, k) => {
    const to = bounds[k + 1];
    const tunnel = lm.tunnels.find((t) => t.from === from && t.to === to);
    const bridge = lm.bridges.find((b) => b.from === from && b.to === to);
    const structure = tunnel
      ? { kind: 'tunnel' as const, name: tunnel.name }
      : bridge
        ? { kind: 'bridge' as const, name: bridge.name }
        : undefined;
    return { k, from, to, structure, toll: lm.toll.at > from && lm.toll.at < to };
  });
}

interface Context {
  readonly c: Centreline;
  readonly lm: Landmarks;
  readonly list: readonly Stretch[];
  readonly junctionAt: (name: string) => number;
  readonly tunnelK: number;
}

/**
 * Lanes per carriageway. Southbound: three lanes off the A12 junction, dropping to two before the
 * Bergisel tunnel (the bottleneck), a climbing lane from Innsbruck-Süd up over the Europabrücke to
 * Stubaital, two over the toll plaza, a climbing lane again from Matrei/Steinach up to Nösslach.
 * Northbound: two down from the pass, three from Stubaital down into Innsbruck, two through the
 * tunnel, three again towards the A12.
 */
function lanesOf(dir: Direction, s: Stretch, x: Context): number {
  const ibkSued = x.junctionAt('Innsbruck-Süd');
  const stubai = x.junctionAt('Stubaital');
  if (dir === 'southbound') {
    if (s.k < x.tunnelK - 1) return 3;
    if (s.to <= ibkSued) return 2;
    if (s.to <= stubai) return 3;
    if (s.from >= x.junctionAt('Matrei/Steinach') && s.to <= x.junctionAt('Nösslach/Gries')) return 3;
    return 2;
  }
  if (s.k < x.tunnelK) return 3;
  if (s.to <= ibkSued) return 2;
  if (s.to <= stubai) return 3;
  return 2;
}

/** 100 is Tyrol's motorway limit; 80 through the tunnel and its portals, on the approach to the toll plaza and near the border. */
function speedLimitOf(dir: Direction, s: Stretch, x: Context): number {
  const nearTunnel = Math.abs(s.k - x.tunnelK) <= 1;
  const beforeToll = x.list[dir === 'southbound' ? s.k + 1 : s.k - 1]?.toll === true;
  const nearBorder = (x.c.points.length - 1 - s.from) * STEP_M <= BRENNER_CURVES_M + TARGET_SEGMENT_M / 2;
  return nearTunnel || s.toll || beforeToll || nearBorder ? 80 : 100;
}

/** Named places along the road, in centreline order, for segment names. */
function anchors(x: Context): { name: string; from: number; to: number }[] {
  const last = x.c.points.length - 1;
  const list = [
    { name: 'Innsbruck-Amras', from: 0, to: 0 },
    ...x.lm.tunnels,
    ...x.lm.bridges,
    ...x.lm.junctions.map((j) => ({ name: j.name, from: j.at, to: j.at })),
    { name: x.lm.toll.name, from: x.lm.toll.at, to: x.lm.toll.at },
    { name: 'Brenner', from: last, to: last },
  ];
  return list.sort((a, b) => a.from - b.from);
}

function baseName(dir: Direction, s: Stretch, x: Context): string {
  const letter = dir === 'southbound' ? 'S' : 'N';
  if (s.structure) return `A13 ${letter} ${s.structure.name}`;
  if (s.toll) return `A13 ${letter} ${x.lm.toll.name}`;
  const all = anchors(x);
  const before = all.filter((a) => a.to <= s.from).at(-1)?.name ?? 'Innsbruck-Amras';
  const after = all.find((a) => a.from >= s.to)?.name ?? 'Brenner';
  return dir === 'southbound' ? `A13 S ${before} – ${after}` : `A13 N ${after} – ${before}`;
}

// ---------------------------------------------------------------------------------------------
// Features

interface Carriageway {
  readonly dir: Direction;
  readonly letter: 'S' | 'N';
  /** Vertices in the direction of travel. */
  readonly points: LonLat[];
  readonly ele: number[];
  /** Carriageway vertex index of centreline vertex i. */
  readonly vertexOf: (i: number) => number;
}

function carriageways(c: Centreline): Carriageway[] {
  const n = c.points.length;
  const right = c.points.map(() => CARRIAGEWAY_OFFSET_M);
  const south = offsetRight(c.points, right);
  const north = offsetRight(
    c.points,
    right.map((d) => -d),
  ).reverse();
  return [
    { dir: 'southbound', letter: 'S', points: south, ele: c.ele, vertexOf: (i) => i },
    { dir: 'northbound', letter: 'N', points: north, ele: [...c.ele].reverse(), vertexOf: (i) => n - 1 - i },
  ];
}

const segmentId = (cw: Carriageway, order: number): string => `A13-${cw.letter}-${String(order).padStart(3, '0')}`;

interface Feature {
  type: 'Feature';
  id: string;
  properties: Record<string, unknown>;
  geometry: { type: 'LineString'; coordinates: Pos3[] };
}

interface RampPlan {
  readonly segmentOrder: number;
  readonly feature: Feature;
}

/**
 * Off-ramps leave the carriageway before the junction's boundary and on-ramps join after it, each
 * peeling away to the right of travel (right-hand traffic) and dropping a few metres to the
 * crossing road; one end of each lies exactly on a carriageway vertex.
 */
function ramps(cw: Carriageway, x: Context, orderOfStretch: (k: number) => number): RampPlan[] {
  const gap = 2; // vertices between the junction boundary and the ramp's free end
  const out: RampPlan[] = [];
  for (const j of x.lm.junctions) {
    const at = cw.vertexOf(j.at);
    const span = Math.round(j.rampM / STEP_M);
    const kBefore = x.list.findIndex((s) => (cw.dir === 'southbound' ? s.to : s.from) === j.at);
    const kAfter = x.list.findIndex((s) => (cw.dir === 'southbound' ? s.from : s.to) === j.at);
    for (const kind of ['off', 'on'] as const) {
      const [a, b] = kind === 'off' ? [at - gap - span, at - gap] : [at + gap, at + gap + span];
      const pts = cw.points.slice(a, b + 1);
      const lateral = pts.map((_, i) => {
        const t = i / (pts.length - 1);
        return 40 * smoothstep(kind === 'off' ? t : 1 - t);
      });
      const shifted = offsetRight(pts, lateral);
      const coordinates = shifted.map((p, i) => pos3(p, cw.ele[a + i] - (6 * lateral[i]) / 40));
      const order = orderOfStretch(kind === 'off' ? kBefore : kAfter);
      const rampId = `A13-${cw.letter}-${j.code}-${kind.toUpperCase()}`;
      out.push({
        segmentOrder: order,
        feature: {
          type: 'Feature',
          id: rampId,
          properties: { rampId, kind, segmentId: segmentId(cw, order), name: `${j.name} ${kind}-ramp ${cw.dir}` },
          geometry: { type: 'LineString', coordinates },
        },
      });
    }
  }
  return out;
}

function build(): { collection: Record<string, unknown>; summary: string } {
  const c = buildCentreline();
  const lm = landmarks(c);
  const bounds = boundaries(c, lm);
  const list = stretches(bounds, lm);
  const tunnelK = list.findIndex((s) => s.structure?.kind === 'tunnel');
  const junctionAt = (name: string): number => {
    const j = lm.junctions.find((x) => x.name === name);
    if (!j) throw new Error(`no junction ${name}`);
    return j.at;
  };
  const x: Context = { c, lm, list, junctionAt, tunnelK };
  const rand = prng(0xa13);
  const segments: Feature[] = [];
  const rampFeatures: Feature[] = [];

  for (const cw of carriageways(c)) {
    const inTravelOrder = cw.dir === 'southbound' ? list : [...list].reverse();
    const orderOfStretch = (k: number): number => (cw.dir === 'southbound' ? k + 1 : list.length - k);
    const plans = ramps(cw, x, orderOfStretch);
    const names = inTravelOrder.map((s) => baseName(cw.dir, s, x));
    inTravelOrder.forEach((s, i) => {
      const order = i + 1;
      const id = segmentId(cw, order);
      const [a, b] = [cw.vertexOf(s.from), cw.vertexOf(s.to)].sort((p, q) => p - q);
      const coordinates = cw.points.slice(a, b + 1).map((p, v) => pos3(p, cw.ele[a + v]));
      const lanes = lanesOf(cw.dir, s, x);
      const sameName = names.filter((n) => n === names[i]).length;
      const name = sameName > 1 ? `${names[i]} (${names.slice(0, i + 1).filter((n) => n === names[i]).length}/${sameName})` : names[i];
      const own = plans.filter((p) => p.segmentOrder === order).map((p) => p.feature.properties.kind);
      // Keep the detector station clear of merging and diverging traffic.
      const detectorAt = own.length === 1 ? (own[0] === 'off' ? 0.3 : 0.7) : 0.5;
      const structure = s.structure?.kind;
      const wear = 0.58 + 0.37 * rand();
      const surfaceQuality = structure === 'tunnel' ? 0.9 : structure === 'bridge' ? 0.72 : round(wear, 2);
      const urban = s.to <= junctionAt('Innsbruck-Süd');
      segments.push({
        type: 'Feature',
        id,
        properties: {
          segmentId: id,
          name,
          road: 'A13',
          direction: cw.dir,
          lanes,
          speedLimitKmh: speedLimitOf(cw.dir, s, x),
          timezone: 'Europe/Vienna',
          country: 'AT',
          region: '7',
          area: urban ? 'urban' : 'rural',
          ...(structure ? { structure } : {}),
          surfaceQuality,
          detectorAt,
          detectors: Array.from({ length: lanes }, (_, l) => ({ detectorId: `${id}-L${l + 1}`, lane: l + 1 })),
        },
        geometry: { type: 'LineString', coordinates },
      });
    });
    rampFeatures.push(...plans.map((p) => p.feature));
  }

  const collection = {
    type: 'FeatureCollection',
    name: 'A13 Brenner Autobahn (approximate model)',
    description:
      'Approximate model of the A13 Brenner Autobahn in Tyrol, Austria, from the Innsbruck-Amras junction ' +
      'with the A12 to the Brenner pass: both carriageways, junction ramps, the Bergisel tunnel, the Europabrücke ' +
      'and Luegbrücke, the Schönberg toll plaza. Traced from a few dozen waypoints and smoothed; it is NOT survey ' +
      'data, and lanes, speed limits, surface quality and detectors are illustrative. Generated by ' +
      'scripts/build-network.ts.',
    features: [...segments, ...rampFeatures],
  };
  return { collection, summary: check(collection) };
}

/** Refuses to write a file the loader would reject or that breaks the demo's own rules. */
function check(collection: Record<string, unknown>): string {
  const network = parseNetwork(collection);
  const problems: string[] = [];
  for (const s of network.segments) {
    if (s.lengthM < 500 || s.lengthM > 2000) problems.push(`${s.id} is ${s.lengthM.toFixed(0)} m`);
  }
  for (const r of network.ramps) {
    if (r.lengthM < 200 || r.lengthM > 600) problems.push(`${r.id} is ${r.lengthM.toFixed(0)} m`);
  }
  const chains = orderedChains(network);
  if (chains.length !== 2) problems.push(`expected 2 carriageway chains, got ${chains.length}`);
  if (problems.length > 0) throw new Error(`generated network breaks its rules: ${problems.join('; ')}`);
  const km = (list: readonly { lengthM: number }[]): string => (list.reduce((t, s) => t + s.lengthM, 0) / 1000).toFixed(2);
  return chains
    .map((ch) => `${ch[0].props.direction}: ${ch.length} segments, ${km(ch)} km, ${ch[0].id}..${ch.at(-1)?.id}`)
    .concat(`${network.ramps.length} ramps, ${network.detectors.size} detectors`)
    .join('\n');
}

/** One feature per line: small diffs when the generator changes, still valid JSON. */
function format(collection: Record<string, unknown>): string {
  const { features, ...head } = collection as { features: unknown[] };
  const lines = Object.entries(head).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  const body = features.map((f, i) => `    ${JSON.stringify(f)}${i < features.length - 1 ? ',' : ''}`);
  return ['{', ...lines, '  "features": [', ...body, '  ]', '}', ''].join('\n');
}

const { collection, summary } = build();
const text = format(collection);
if (process.argv.includes('--check')) {
  // CI and the tests use this to prove the committed file is exactly what the generator makes.
  const same = existsSync(OUT) && readFileSync(OUT, 'utf8') === text;
  console.log(same ? `${OUT} is up to date` : `${OUT} differs from the generator's output: run node --import tsx scripts/build-network.ts`);
  process.exitCode = same ? 0 : 1;
} else {
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}\n${summary}`);
}

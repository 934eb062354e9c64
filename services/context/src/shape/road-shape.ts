import { bearing } from '@turf/turf';
import type { Network, Segment } from '@saferoads/shared/network';
import { contextConfig, type ContextConfig } from '../config.js';
import { compassDeg, curvature, headingPieces, midpoint, netGradePct, type PointOnLine } from './geometry.js';
import { rampDistancesM } from './ramps.js';

/** What the geometry and properties of one segment say about the road, computed once per network. */
export interface SegmentShape {
  readonly segmentId: string;
  /** Index in Network.segments. */
  readonly index: number;
  /** Geodesic length, m. */
  readonly lengthM: number;
  /** Compass bearing from the segment's first position to its last, degrees in [0, 360). */
  readonly headingDeg: number;
  /** Directions of travel along the segment and the share of length in each (for sun glare). */
  readonly headingsDeg: Float64Array;
  readonly headingShares: Float64Array;
  readonly curvatureDegPerKm: number;
  /** Smallest radius of curvature, m, capped at maxRadiusM (straight: the cap). */
  readonly minRadiusM: number;
  /** Net grade entry to exit, %, uphill positive; 0 when the file has no elevations (gradeKnown false). */
  readonly gradePct: number;
  readonly gradeKnown: boolean;
  readonly lanes: number;
  /** Fewest lanes of any downstream segment minus this segment's lanes (negative: a lane drop ahead); 0 without downstream. */
  readonly lanesChangeDownstream: number;
  readonly speedLimitKmh: number;
  /** 0..1; defaultSurfaceQuality when the file gives none. */
  readonly surfaceQuality: number;
  /** `area` urban; rural when absent. */
  readonly urban: boolean;
  readonly tunnel: boolean;
  readonly bridge: boolean;
  readonly structure: 'tunnel' | 'bridge' | undefined;
  /** Along-carriageway distance to the nearest on-ramp / off-ramp, m (0 on this segment, capped at rampSearchM). */
  readonly distOnRampM: number;
  readonly distOffRampM: number;
  readonly upstreamCount: number;
  readonly downstreamCount: number;
  /** Halfway along the segment: where its weather and sun are taken. */
  readonly midpoint: PointOnLine;
  readonly timezone: string;
  readonly country: string;
  readonly region: string | undefined;
}

/** Shape of every segment of the network, in Network.segments order. */
export function computeRoadShapes(network: Network, config: Partial<ContextConfig> = {}): SegmentShape[] {
  const cfg = contextConfig(config);
  const on = rampDistancesM(network, 'on', cfg.rampSearchM);
  const off = rampDistancesM(network, 'off', cfg.rampSearchM);
  return network.segments.map((s) => segmentShape(network, s, cfg, on[s.index], off[s.index]));
}

function segmentShape(network: Network, s: Segment, cfg: ContextConfig, distOnRampM: number, distOffRampM: number): SegmentShape {
  const p = s.props;
  const coords = s.coordinates;
  const curve = curvature(coords, cfg.curvatureMinArmM, cfg.maxRadiusM);
  const grade = netGradePct(coords, s.lengthM);
  const pieces = headingPieces(coords);
  let minDownLanes = Infinity;
  for (const id of s.downstream) minDownLanes = Math.min(minDownLanes, (network.byId.get(id) as Segment).props.lanes);
  return {
    segmentId: s.id,
    index: s.index,
    lengthM: s.lengthM,
    headingDeg: compassDeg(bearing(coords[0], coords[coords.length - 1])),
    headingsDeg: pieces.headingsDeg,
    headingShares: pieces.shares,
    curvatureDegPerKm: curve.degPerKm,
    minRadiusM: curve.minRadiusM,
    gradePct: Number.isNaN(grade) ? 0 : grade,
    gradeKnown: !Number.isNaN(grade),
    lanes: p.lanes,
    lanesChangeDownstream: Number.isFinite(minDownLanes) ? minDownLanes - p.lanes : 0,
    speedLimitKmh: p.speedLimitKmh,
    surfaceQuality: p.surfaceQuality ?? cfg.defaultSurfaceQuality,
    urban: p.area === 'urban',
    tunnel: p.structure === 'tunnel',
    bridge: p.structure === 'bridge',
    structure: p.structure,
    distOnRampM,
    distOffRampM,
    upstreamCount: s.upstream.length,
    downstreamCount: s.downstream.length,
    midpoint: midpoint(coords, s.lengthM),
    timezone: p.timezone,
    country: p.country,
    region: p.region,
  };
}

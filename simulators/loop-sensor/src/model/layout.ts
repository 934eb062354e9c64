import type { Segment } from '@saferoads/shared/network';
import type { Heading } from '../demand/profiles.js';
import { freeSpeeds, type RoadSpeedContext } from '../vehicles/speeds.js';
import {
  LANE_DROP_FACTOR,
  MERGE_FACTOR,
  TUNNEL_FACTOR,
  basePcuPerLaneH,
  surfaceFactor,
  truckPce,
} from './capacity.js';
import { cumulativeM, elevationAt, projectFraction } from './geometry.js';

/** Cells of ~250 m: fine enough to resolve a queue's tail, coarse enough to stay cheap. */
export const TARGET_CELL_M = 250;
/** Free-flow speed bound used for the CFL condition: nobody's mean is above 1.1 x the limit. */
const VMAX_FACTOR = 1.1;
const DEFAULT_SURFACE = 0.8;

export interface OnRampSpec {
  readonly rampId: string;
  /** Index of the cell the ramp feeds. */
  readonly cell: number;
}

export interface OffRampSpec {
  readonly rampId: string;
  /** Index of the cell whose downstream boundary the ramp leaves from. */
  readonly cell: number;
}

export interface StationSite {
  readonly segment: Segment;
  readonly cell: number;
  readonly xM: number;
  readonly road: RoadSpeedContext;
}

/** One carriageway chain cut into cells, with everything static the traffic model needs. */
export interface ChainLayout {
  readonly segments: readonly Segment[];
  readonly heading: Heading;
  readonly timezone: string;
  readonly cellCount: number;
  readonly lengthM: Float64Array;
  readonly lanes: Float64Array;
  /** Distance of each cell's upstream edge from the chain's start. */
  readonly xM: Float64Array;
  readonly gradePct: Float64Array;
  /** Capacity per lane in pcu/h with the static factors (tunnel, surface, merge, lane drop) applied. */
  readonly pcuPerLaneH: Float64Array;
  readonly pce: Float64Array;
  /** Mean free-flow speeds, m/s. */
  readonly carFreeMs: Float64Array;
  readonly truckFreeMs: Float64Array;
  /** Index of each cell's segment within the chain. */
  readonly segmentOfCell: Int32Array;
  readonly onRamps: readonly OnRampSpec[];
  readonly offRamps: readonly OffRampSpec[];
  readonly stations: readonly StationSite[];
  /** Model sub-steps per output step: more than one only where a cell is shorter than vf * dt. */
  readonly substeps: number;
  readonly totalLengthM: number;
}

/** Which way the chain runs: the carriageway ending further north (or east) is the inbound one. */
export function headingOf(chain: readonly Segment[]): Heading {
  const first = chain[0].coordinates[0];
  const lastSeg = chain[chain.length - 1];
  const last = lastSeg.coordinates[lastSeg.coordinates.length - 1];
  const dLat = last[1] - first[1];
  const dLon = (last[0] - first[0]) * Math.cos((first[1] * Math.PI) / 180);
  if (Math.abs(dLat) >= Math.abs(dLon)) return dLat >= 0 ? 'inbound' : 'outbound';
  return dLon >= 0 ? 'inbound' : 'outbound';
}

/** A degenerate (zero-length) segment still gets a cell; a metre keeps the arithmetic finite. */
const MIN_SEGMENT_M = 1;

function cellsFor(lengthM: number, minCellM: number): number {
  let n = Math.max(1, Math.round(lengthM / TARGET_CELL_M));
  while (n > 1 && lengthM / n < minCellM) n--;
  return n;
}

export function buildLayout(chain: readonly Segment[], stepS: number): ChainLayout {
  if (chain.length === 0) throw new Error('empty chain');
  interface Cell {
    len: number;
    x: number;
    lanes: number;
    grade: number;
    pcu: number;
    pce: number;
    car: number;
    truck: number;
    seg: number;
  }
  const cells: Cell[] = [];
  const onRamps: OnRampSpec[] = [];
  const offRamps: OffRampSpec[] = [];
  const stations: StationSite[] = [];
  let x = 0;
  let substeps = 1;
  chain.forEach((seg, si) => {
    const p = seg.props;
    const vmax = (p.speedLimitKmh * VMAX_FACTOR) / 3.6;
    const segLen = Math.max(seg.lengthM, MIN_SEGMENT_M);
    const n = cellsFor(segLen, vmax * stepS);
    const len = segLen / n;
    substeps = Math.max(substeps, Math.ceil((vmax * stepS) / len - 1e-9));
    const cum = cumulativeM(seg.coordinates, segLen);
    const first = cells.length;
    const surface = p.surfaceQuality ?? DEFAULT_SURFACE;
    const tunnel = p.structure === 'tunnel';
    for (let c = 0; c < n; c++) {
      const e0 = elevationAt(seg.coordinates, cum, c * len);
      const e1 = elevationAt(seg.coordinates, cum, (c + 1) * len);
      const grade = e0 === undefined || e1 === undefined ? 0 : ((e1 - e0) / len) * 100;
      const road: RoadSpeedContext = { limitKmh: p.speedLimitKmh, gradePct: grade, tunnel, surfaceQuality: surface };
      const free = freeSpeeds(road);
      let pcu = basePcuPerLaneH(p.speedLimitKmh) * surfaceFactor(surface) * (tunnel ? TUNNEL_FACTOR : 1);
      const prev = cells[cells.length - 1];
      if (c === 0 && prev !== undefined && prev.lanes > p.lanes) pcu *= LANE_DROP_FACTOR;
      cells.push({
        len,
        x: x + c * len,
        lanes: p.lanes,
        grade,
        pcu,
        pce: truckPce(grade),
        car: free.car / 3.6,
        truck: free.truck / 3.6,
        seg: si,
      });
    }
    for (const r of seg.ramps) {
      const kind = r.props.kind;
      const joint = kind === 'on' ? r.coordinates[r.coordinates.length - 1] : r.coordinates[0];
      const f = joint === undefined ? (kind === 'on' ? 0 : 1) : projectFraction(seg.coordinates, cum, joint);
      if (kind === 'on') {
        const cell = first + Math.min(n - 1, Math.max(0, Math.round(f * n)));
        onRamps.push({ rampId: r.id, cell });
        cells[cell].pcu *= MERGE_FACTOR;
      } else {
        offRamps.push({ rampId: r.id, cell: first + Math.min(n - 1, Math.max(0, Math.round(f * n) - 1)) });
      }
    }
    const at = p.detectorAt ?? 0.5;
    const cell = first + Math.min(n - 1, Math.floor(at * n));
    stations.push({
      segment: seg,
      cell,
      xM: x + at * segLen,
      road: { limitKmh: p.speedLimitKmh, gradePct: cells[cell].grade, tunnel, surfaceQuality: surface },
    });
    x += segLen;
  });
  const arr = (f: (c: Cell) => number) => Float64Array.from(cells, f);
  return {
    segments: chain,
    heading: headingOf(chain),
    timezone: chain[0].props.timezone,
    cellCount: cells.length,
    lengthM: arr((c) => c.len),
    lanes: arr((c) => c.lanes),
    xM: arr((c) => c.x),
    gradePct: arr((c) => c.grade),
    pcuPerLaneH: arr((c) => c.pcu),
    pce: arr((c) => c.pce),
    carFreeMs: arr((c) => c.car),
    truckFreeMs: arr((c) => c.truck),
    segmentOfCell: Int32Array.from(cells, (c) => c.seg),
    onRamps,
    offRamps,
    stations,
    substeps,
    totalLengthM: x,
  };
}

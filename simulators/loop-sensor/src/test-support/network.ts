import type { DetectorLocation, Network, Position, Ramp, Segment } from '@saferoads/shared/network';

/** One segment of a straight test road. */
export interface TestSegment {
  lengthM?: number;
  lanes?: number;
  speedLimitKmh?: number;
  /** Elevation gain over the segment, m (negative downhill). */
  riseM?: number;
  structure?: 'tunnel' | 'bridge';
  surfaceQuality?: number;
  detectorAt?: number;
  /** false: a segment without loops. */
  detectors?: boolean;
  onRamp?: boolean;
  offRamp?: boolean;
}

export interface TestRoadOptions {
  /** 'northbound' runs north (inbound), 'southbound' south. */
  direction?: 'northbound' | 'southbound';
  timezone?: string;
  prefix?: string;
  /** Longitude of the road; give the two directions different ones so they never touch. */
  lon?: number;
}

const M_PER_DEG_LAT = 111_195;

/** Builds a straight carriageway, segment after segment, with loops in every lane. */
export function testRoad(specs: readonly TestSegment[], o: TestRoadOptions = {}): Segment[] {
  const dir = o.direction ?? 'northbound';
  const sign = dir === 'northbound' ? 1 : -1;
  const prefix = o.prefix ?? (dir === 'northbound' ? 'N' : 'S');
  const lon = o.lon ?? 11.4;
  let lat = dir === 'northbound' ? 47.0 : 47.5;
  let ele = 600;
  const ids = specs.map((_, i) => `${prefix}-${String(i + 1).padStart(3, '0')}`);
  return specs.map((s, i) => {
    const len = s.lengthM ?? 1000;
    const lanes = s.lanes ?? 2;
    const rise = s.riseM ?? 0;
    const coords: Position[] = [];
    for (let k = 0; k <= 4; k++) coords.push([lon, lat + (sign * len * k) / 4 / M_PER_DEG_LAT, ele + (rise * k) / 4]);
    lat += (sign * len) / M_PER_DEG_LAT;
    ele += rise;
    const id = ids[i];
    const ramps: Ramp[] = [];
    if (s.onRamp) {
      const joint = coords[0];
      ramps.push({
        id: `${id}-ON`,
        props: { rampId: `${id}-ON`, kind: 'on', segmentId: id },
        coordinates: [[joint[0] + 0.003, joint[1] - sign * 0.003], [joint[0], joint[1]]],
        lengthM: 400,
      });
    }
    if (s.offRamp) {
      const joint = coords[coords.length - 1];
      ramps.push({
        id: `${id}-OFF`,
        props: { rampId: `${id}-OFF`, kind: 'off', segmentId: id },
        coordinates: [[joint[0], joint[1]], [joint[0] + 0.003, joint[1] + sign * 0.003]],
        lengthM: 400,
      });
    }
    return {
      id,
      index: i,
      props: {
        segmentId: id,
        direction: dir,
        lanes,
        speedLimitKmh: s.speedLimitKmh ?? 100,
        timezone: o.timezone ?? 'Europe/Vienna',
        country: 'AT',
        detectors:
          s.detectors === false
            ? []
            : Array.from({ length: lanes }, (_, l) => ({ detectorId: `${id}-L${l + 1}`, lane: l + 1 })),
        ...(s.detectorAt !== undefined ? { detectorAt: s.detectorAt } : {}),
        ...(s.surfaceQuality !== undefined ? { surfaceQuality: s.surfaceQuality } : {}),
        ...(s.structure !== undefined ? { structure: s.structure } : {}),
      },
      coordinates: coords,
      lengthM: len,
      upstream: i > 0 ? [ids[i - 1]] : [],
      downstream: i < specs.length - 1 ? [ids[i + 1]] : [],
      ramps,
    };
  });
}

/** A Network of the given carriageways (segment indices renumbered in order). */
export function testNetwork(...roads: Segment[][]): Network {
  const segments: Segment[] = roads.flat().map((s, index) => ({ ...s, index }));
  const detectors = new Map<string, DetectorLocation>();
  for (const s of segments) {
    for (const d of s.props.detectors) {
      detectors.set(d.detectorId, { detectorId: d.detectorId, segmentId: s.id, segmentIndex: s.index, lane: d.lane });
    }
  }
  return {
    name: 'test',
    segments,
    byId: new Map(segments.map((s) => [s.id, s])),
    detectors,
    ramps: segments.flatMap((s) => s.ramps),
  };
}

import { lineString } from '@turf/helpers';
import { length } from '@turf/length';
import {
  rampPropertiesValidator,
  segmentPropertiesValidator,
  type RampProperties,
  type SegmentProperties,
} from '../contracts/segment.js';
import type { FieldError } from '../contracts/validate.js';
import { SaferoadsError } from '../errors.js';
import { deriveTopology } from './topology.js';
import type { DetectorLocation, Network, Position, Ramp, Segment } from './types.js';

/** A network file failed validation; `problems` lists every one, each naming feature and field. */
export class NetworkInvalidError extends SaferoadsError {
  readonly problems: readonly string[];

  constructor(networkName: string, problems: readonly string[]) {
    const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    super('NETWORK_INVALID', `network "${networkName}" is invalid (${count}): ${problems.join('; ')}`);
    this.name = 'NetworkInvalidError';
    this.problems = problems;
  }
}

interface ParsedSegment {
  readonly featureIndex: number;
  readonly props: SegmentProperties;
  readonly coordinates: Position[];
  readonly lengthM: number;
}

interface ParsedRamp {
  readonly featureIndex: number;
  readonly props: RampProperties;
  readonly coordinates: Position[];
  readonly lengthM: number;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The collection's own top-level "name" member, when it has one. */
export function collectionName(json: unknown): string | undefined {
  return isRecord(json) && typeof json.name === 'string' && json.name !== '' ? json.name : undefined;
}

function isPosition(p: unknown): p is Position {
  if (!Array.isArray(p) || (p.length !== 2 && p.length !== 3)) return false;
  if (!p.every((v) => typeof v === 'number' && Number.isFinite(v))) return false;
  const [lon, lat] = p as number[];
  return lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
}

/** `detectors.0.lane` -> `.detectors[0].lane`, so paths read like the JSON they point into. */
function fieldPath(field: string): string {
  if (field === '(record)') return '';
  return field
    .split('.')
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('');
}

function schemaProblems(at: string, errors: readonly FieldError[]): string[] {
  return errors.map((e) => `${at}.properties${fieldPath(e.field)}: ${e.reason}`);
}

function parseLineString(geometry: unknown, at: string, problems: string[]): Position[] | undefined {
  if (!isRecord(geometry)) {
    problems.push(`${at}.geometry: must be a LineString geometry`);
    return undefined;
  }
  if (geometry.type !== 'LineString') {
    problems.push(`${at}.geometry.type: must be "LineString" (got ${JSON.stringify(geometry.type) ?? 'nothing'})`);
    return undefined;
  }
  const coords = geometry.coordinates;
  if (!Array.isArray(coords) || coords.length < 2) {
    problems.push(`${at}.geometry.coordinates: must be an array of at least 2 positions`);
    return undefined;
  }
  const bad = coords.flatMap((p, j) => (isPosition(p) ? [] : [j]));
  if (bad.length > 0) {
    // one line per feature: a file with swapped lat/lon would otherwise bury every other problem
    const more = bad.length > 1 ? ` (and ${bad.length - 1} more)` : '';
    problems.push(`${at}.geometry.coordinates[${bad[0]}]: must be [lon, lat] or [lon, lat, elevationM] in degrees${more}`);
    return undefined;
  }
  return coords as Position[];
}

const zoneValid = new Map<string, boolean>();

/** Local-time features (hour, day of week, holidays) need a zone the runtime knows. */
function isTimeZone(zone: string): boolean {
  let ok = zoneValid.get(zone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      ok = true;
    } catch {
      ok = false;
    }
    zoneValid.set(zone, ok);
  }
  return ok;
}

function lineLengthM(coordinates: Position[]): number {
  return length(lineString(coordinates), { units: 'meters' });
}

/** Checks detector lanes against the segment and detector ids against the whole network. */
function checkDetectors(
  seg: ParsedSegment,
  seenDetectors: Map<string, string>,
  problems: string[],
): void {
  const at = `features[${seg.featureIndex}].properties.detectors`;
  const laneAt = new Map<number, number>();
  seg.props.detectors.forEach((d, j) => {
    const here = `${at}[${j}]`;
    const first = seenDetectors.get(d.detectorId);
    if (first !== undefined) problems.push(`${here}.detectorId: duplicate detectorId "${d.detectorId}" (first at ${first})`);
    else seenDetectors.set(d.detectorId, here);
    if (d.lane > seg.props.lanes) {
      problems.push(`${here}.lane: must be <= lanes (${seg.props.lanes}), got ${d.lane}`);
    }
    const sameLane = laneAt.get(d.lane);
    if (sameLane !== undefined) problems.push(`${here}.lane: duplicate lane ${d.lane} (also ${at}[${sameLane}])`);
    else laneAt.set(d.lane, j);
  });
}

/**
 * Validates a GeoJSON FeatureCollection road network and builds its model: segments in file order,
 * detectors, ramps, and up/downstream links derived from where segments end. A feature is a ramp
 * when its properties have `rampId`, otherwise a segment. Throws NetworkInvalidError
 * (code NETWORK_INVALID) listing every problem found, each as `features[i].<field>: <reason>`.
 */
export function parseNetwork(json: unknown, name?: string): Network {
  const networkName = name ?? collectionName(json) ?? 'network';
  if (!isRecord(json) || json.type !== 'FeatureCollection') {
    throw new NetworkInvalidError(networkName, ['type: must be "FeatureCollection"']);
  }
  if (!Array.isArray(json.features)) {
    throw new NetworkInvalidError(networkName, ['features: must be an array of Features']);
  }

  const problems: string[] = [];
  const segments: ParsedSegment[] = [];
  const ramps: ParsedRamp[] = [];
  // Ids of every segment feature, valid or not, so a ramp on a broken segment is not also "unknown".
  const declaredSegments = new Set<unknown>();
  json.features.forEach((feature: unknown, i: number) => {
    const at = `features[${i}]`;
    if (!isRecord(feature)) {
      problems.push(`${at}: must be a GeoJSON Feature object`);
      return;
    }
    if (feature.type !== 'Feature') problems.push(`${at}.type: must be "Feature"`);
    const coordinates = parseLineString(feature.geometry, at, problems);
    const props = feature.properties;
    if (!isRecord(props)) {
      problems.push(`${at}.properties: must be an object`);
      return;
    }
    const lengthM = coordinates ? lineLengthM(coordinates) : 0;
    if (coordinates && !(lengthM > 0)) problems.push(`${at}.geometry.coordinates: line has zero length`);

    if ('rampId' in props) {
      const checked = rampPropertiesValidator.check(props);
      if (!checked.ok) problems.push(...schemaProblems(at, checked.errors));
      // External tools tell segments from ramps by `detectors`; a ramp carrying them would be miscounted.
      if ('detectors' in props) problems.push(`${at}.properties.detectors: a ramp has no detectors (put them on its segment)`);
      if (checked.ok && coordinates) ramps.push({ featureIndex: i, props: checked.value, coordinates, lengthM });
      return;
    }
    declaredSegments.add(props.segmentId);
    const checked = segmentPropertiesValidator.check(props);
    if (!checked.ok) problems.push(...schemaProblems(at, checked.errors));
    if (checked.ok && coordinates) segments.push({ featureIndex: i, props: checked.value, coordinates, lengthM });
  });

  const segmentAt = new Map<string, number>();
  const seenDetectors = new Map<string, string>();
  for (const seg of segments) {
    const first = segmentAt.get(seg.props.segmentId);
    if (first !== undefined) {
      problems.push(`features[${seg.featureIndex}].properties.segmentId: duplicate segmentId "${seg.props.segmentId}" (first at features[${first}])`);
    } else {
      segmentAt.set(seg.props.segmentId, seg.featureIndex);
    }
    if (!isTimeZone(seg.props.timezone)) {
      problems.push(`features[${seg.featureIndex}].properties.timezone: unknown IANA time zone "${seg.props.timezone}"`);
    }
    checkDetectors(seg, seenDetectors, problems);
  }
  const rampAt = new Map<string, number>();
  for (const ramp of ramps) {
    const at = `features[${ramp.featureIndex}].properties`;
    const first = rampAt.get(ramp.props.rampId);
    if (first !== undefined) problems.push(`${at}.rampId: duplicate rampId "${ramp.props.rampId}" (first at features[${first}])`);
    else rampAt.set(ramp.props.rampId, ramp.featureIndex);
    if (!declaredSegments.has(ramp.props.segmentId)) problems.push(`${at}.segmentId: unknown segment "${ramp.props.segmentId}"`);
  }
  if (problems.length === 0 && segments.length === 0) problems.push('features: must contain at least one segment');
  if (problems.length > 0) {
    // Feature-level checks run first, cross-feature ones after; report in file order.
    throw new NetworkInvalidError(networkName, sortByFeature(problems));
  }
  return build(networkName, segments, ramps);
}

function featureIndexOf(problem: string): number {
  const m = /^features\[(\d+)\]/.exec(problem);
  return m ? Number(m[1]) : -1;
}

function sortByFeature(problems: readonly string[]): string[] {
  return problems
    .map((p, order) => ({ p, order, f: featureIndexOf(p) }))
    .sort((a, b) => a.f - b.f || a.order - b.order)
    .map((x) => x.p);
}

function build(name: string, parsed: readonly ParsedSegment[], parsedRamps: readonly ParsedRamp[]): Network {
  const ramps: Ramp[] = parsedRamps.map((r) => ({
    id: r.props.rampId,
    props: r.props,
    coordinates: r.coordinates,
    lengthM: r.lengthM,
  }));
  const rampsBySegment = new Map<string, Ramp[]>();
  for (const r of ramps) {
    const list = rampsBySegment.get(r.props.segmentId);
    if (list) list.push(r);
    else rampsBySegment.set(r.props.segmentId, [r]);
  }
  const topology = deriveTopology(parsed.map((s) => ({ direction: s.props.direction, coordinates: s.coordinates })));
  const idOf = (i: number): string => parsed[i].props.segmentId;
  const segments: Segment[] = parsed.map((s, index) => ({
    id: s.props.segmentId,
    index,
    props: s.props,
    coordinates: s.coordinates,
    lengthM: s.lengthM,
    upstream: topology.upstream[index].map(idOf),
    downstream: topology.downstream[index].map(idOf),
    ramps: rampsBySegment.get(s.props.segmentId) ?? [],
  }));
  const detectors = new Map<string, DetectorLocation>();
  for (const s of segments) {
    for (const d of s.props.detectors) {
      detectors.set(d.detectorId, { detectorId: d.detectorId, segmentId: s.id, segmentIndex: s.index, lane: d.lane });
    }
  }
  return { name, segments, byId: new Map(segments.map((s) => [s.id, s])), detectors, ramps };
}

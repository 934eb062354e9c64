import { length, lineString } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { SaferoadsError } from '../errors.js';
import { NetworkInvalidError, parseNetwork } from './parse.js';
import type { Position } from './types.js';

type Json = Record<string, unknown>;

function segment(id: string, coordinates: Position[], props: Json = {}): Json {
  const lanes = typeof props.lanes === 'number' ? props.lanes : 2;
  return {
    type: 'Feature',
    properties: {
      segmentId: id,
      direction: 'northbound',
      lanes,
      speedLimitKmh: 100,
      timezone: 'Europe/Vienna',
      country: 'AT',
      detectors: Array.from({ length: lanes }, (_, i) => ({ detectorId: `${id}-L${i + 1}`, lane: i + 1 })),
      ...props,
    },
    geometry: { type: 'LineString', coordinates },
  };
}

function ramp(id: string, segmentId: string, kind: 'on' | 'off', coordinates: Position[]): Json {
  return { type: 'Feature', properties: { rampId: id, kind, segmentId }, geometry: { type: 'LineString', coordinates } };
}

const A: Position[] = [
  [11, 47],
  [11, 47.005],
];
const B: Position[] = [
  [11, 47.005],
  [11, 47.01],
];
const C: Position[] = [
  [11, 47.01],
  [11, 47.015],
];

function collection(features: unknown[], extra: Json = {}): Json {
  return { type: 'FeatureCollection', features, ...extra };
}

/** The error parseNetwork throws for `json`; fails the test when it does not throw. */
function problemsOf(json: unknown): NetworkInvalidError {
  try {
    parseNetwork(json, 'test');
  } catch (err) {
    if (err instanceof NetworkInvalidError) return err;
    throw err;
  }
  throw new Error('expected parseNetwork to throw');
}

describe('parseNetwork: a valid network', () => {
  const net = parseNetwork(
    collection([
      segment('A', A),
      ramp('A-ON', 'A', 'on', [
        [11.0005, 47.001],
        [11, 47.003],
      ]),
      segment('B', B, { lanes: 3 }),
    ]),
  );

  it('keeps segments in file order and indexes them, ramps aside', () => {
    expect(net.segments.map((s) => [s.id, s.index])).toEqual([
      ['A', 0],
      ['B', 1],
    ]);
    expect(net.byId.get('B')?.index).toBe(1);
    expect(net.ramps.map((r) => r.id)).toEqual(['A-ON']);
    expect(net.byId.get('A')?.ramps.map((r) => r.id)).toEqual(['A-ON']);
    expect(net.byId.get('B')?.ramps).toEqual([]);
  });

  it('measures lengths in metres along the line', () => {
    const expected = length(lineString(A), { units: 'meters' });
    expect(expected).toBeGreaterThan(555);
    expect(expected).toBeLessThan(557);
    expect(net.segments[0].lengthM).toBe(expected);
  });

  it('maps every detector to its segment and lane', () => {
    expect([...net.detectors.keys()]).toEqual(['A-L1', 'A-L2', 'B-L1', 'B-L2', 'B-L3']);
    expect(net.detectors.get('B-L3')).toEqual({ detectorId: 'B-L3', segmentId: 'B', segmentIndex: 1, lane: 3 });
  });

  it('links segments that meet end to start', () => {
    expect(net.byId.get('A')?.downstream).toEqual(['B']);
    expect(net.byId.get('B')?.upstream).toEqual(['A']);
  });

  it('names the network after the argument, else the file, else "network"', () => {
    expect(parseNetwork(collection([segment('A', A)], { name: 'Tirol' })).name).toBe('Tirol');
    expect(parseNetwork(collection([segment('A', A)], { name: 'Tirol' }), 'mine').name).toBe('mine');
    expect(parseNetwork(collection([segment('A', A)])).name).toBe('network');
  });
});

describe('parseNetwork: refusing broken input', () => {
  it('throws a SaferoadsError with code NETWORK_INVALID that is not retriable', () => {
    const err = problemsOf(collection([segment('A', A, { lanes: 17, detectors: [{ detectorId: 'A-L1', lane: 1 }] })]));
    expect(err).toBeInstanceOf(SaferoadsError);
    expect(err.code).toBe('NETWORK_INVALID');
    expect(err.retriable).toBe(false);
    expect(err.problems).toEqual(['features[0].properties.lanes: must be <= 16']);
    expect(err.message).toBe('network "test" is invalid (1 problem): features[0].properties.lanes: must be <= 16');
  });

  it('names the feature and field of a missing property', () => {
    const broken = segment('B', B);
    delete (broken.properties as Json).lanes;
    expect(problemsOf(collection([segment('A', A), broken])).message).toContain('features[1].properties.lanes: is required');
  });

  it('names a bad country code', () => {
    expect(problemsOf(collection([segment('A', A, { country: 'at' })])).message).toContain(
      'features[0].properties.country: must match pattern "^[A-Z]{2}$"',
    );
  });

  it('refuses a time zone the runtime does not know', () => {
    expect(problemsOf(collection([segment('A', A, { timezone: 'Europe/Vienn' })])).problems).toEqual([
      'features[0].properties.timezone: unknown IANA time zone "Europe/Vienn"',
    ]);
  });

  it('finds a detector id used twice anywhere in the network', () => {
    const b = segment('B', B, { detectors: [{ detectorId: 'A-L2', lane: 1 }] });
    expect(problemsOf(collection([segment('A', A), b])).problems).toEqual([
      'features[1].properties.detectors[0].detectorId: duplicate detectorId "A-L2" (first at features[0].properties.detectors[1])',
    ]);
  });

  it('refuses a detector in a lane the segment does not have', () => {
    const a = segment('A', A, {
      detectors: [
        { detectorId: 'A-L1', lane: 1 },
        { detectorId: 'A-L3', lane: 3 },
      ],
    });
    expect(problemsOf(collection([a])).problems).toEqual(['features[0].properties.detectors[1].lane: must be <= lanes (2), got 3']);
  });

  it('refuses two detectors in one lane of one segment', () => {
    const a = segment('A', A, {
      detectors: [
        { detectorId: 'A-x', lane: 1 },
        { detectorId: 'A-y', lane: 1 },
      ],
    });
    expect(problemsOf(collection([a])).problems).toEqual([
      'features[0].properties.detectors[1].lane: duplicate lane 1 (also features[0].properties.detectors[0])',
    ]);
  });

  it('refuses geometry that is not a LineString', () => {
    const point = { ...segment('C', C), geometry: { type: 'Point', coordinates: [11, 47] } };
    expect(problemsOf(collection([segment('A', A), segment('B', B), point])).message).toContain(
      'features[2].geometry.type: must be "LineString" (got "Point")',
    );
  });

  it('refuses lines with fewer than two positions, or positions that are not lon/lat', () => {
    const err = problemsOf(
      collection([
        segment('A', [[11, 47]]),
        segment('B', [
          [11, 47.005],
          [47.01, 'x'] as unknown as Position,
          [11, 95],
        ]),
        segment('C', [
          [11, 47.01],
          [11, 47.01],
        ]),
        { type: 'Feature', properties: segment('D', C).properties, geometry: null },
      ]),
    );
    expect(err.problems).toEqual([
      'features[0].geometry.coordinates: must be an array of at least 2 positions',
      'features[1].geometry.coordinates[1]: must be [lon, lat] or [lon, lat, elevationM] in degrees (and 1 more)',
      'features[2].geometry.coordinates: line has zero length',
      'features[3].geometry: must be a LineString geometry',
    ]);
  });

  it('finds duplicate segment ids, unknown ramp segments, duplicate ramp ids and ramps with detectors', () => {
    const on: Position[] = [
      [11.0005, 47.001],
      [11, 47.003],
    ];
    const withDetectors = ramp('R2', 'A', 'off', on);
    (withDetectors.properties as Json).detectors = [];
    const err = problemsOf(
      collection([segment('A', A), segment('A', B), ramp('R1', 'NOPE', 'on', on), ramp('R1', 'A', 'on', on), withDetectors]),
    );
    expect(err.problems).toEqual([
      'features[1].properties.segmentId: duplicate segmentId "A" (first at features[0])',
      'features[1].properties.detectors[0].detectorId: duplicate detectorId "A-L1" (first at features[0].properties.detectors[0])',
      'features[1].properties.detectors[1].detectorId: duplicate detectorId "A-L2" (first at features[0].properties.detectors[1])',
      'features[2].properties.segmentId: unknown segment "NOPE"',
      'features[3].properties.rampId: duplicate rampId "R1" (first at features[2])',
      'features[4].properties.detectors: a ramp has no detectors (put them on its segment)',
    ]);
  });

  it('does not call a ramp on a broken segment "unknown" too', () => {
    const on: Position[] = [
      [11.0005, 47.001],
      [11, 47.003],
    ];
    expect(problemsOf(collection([segment('A', A, { lanes: 0 }), ramp('R', 'A', 'on', on)])).problems).toEqual([
      'features[0].properties.lanes: must be >= 1',
    ]);
  });

  it('validates ramp properties with the ramp schema', () => {
    const bad = ramp('R', 'A', 'on', A);
    (bad.properties as Json).kind = 'sideways';
    expect(problemsOf(collection([segment('A', B), bad])).problems).toEqual([
      'features[1].properties.kind: must be one of "on", "off"',
    ]);
    const wrongArea = segment('A', A, { area: 'suburban', structure: 'ferry' });
    expect(problemsOf(collection([wrongArea])).problems).toEqual([
      'features[0].properties.area: must be one of "urban", "rural"',
      'features[0].properties.structure: must be one of "tunnel", "bridge"',
    ]);
  });

  it('lists every problem of every feature in one error, in file order', () => {
    const noLanes = segment('B', B);
    delete (noLanes.properties as Json).lanes;
    const err = problemsOf(
      collection([segment('A', A, { country: 'Austria', speedLimitKmh: 0 }), noLanes, { type: 'Feature' }]),
    );
    expect(err.problems).toEqual([
      'features[0].properties.speedLimitKmh: must be > 0',
      'features[0].properties.country: must match pattern "^[A-Z]{2}$"',
      'features[1].properties.lanes: is required',
      'features[2].geometry: must be a LineString geometry',
      'features[2].properties: must be an object',
    ]);
    expect(err.message).toContain('network "test" is invalid (5 problems): features[0].properties.speedLimitKmh: must be > 0; ');
  });

  it('refuses what is not a FeatureCollection, or one without segments', () => {
    expect(problemsOf([]).problems).toEqual(['type: must be "FeatureCollection"']);
    expect(problemsOf({ type: 'FeatureCollection' }).problems).toEqual(['features: must be an array of Features']);
    expect(problemsOf(collection([])).problems).toEqual(['features: must contain at least one segment']);
    expect(problemsOf(collection(['x'])).problems).toEqual(['features[0]: must be a GeoJSON Feature object']);
  });
});

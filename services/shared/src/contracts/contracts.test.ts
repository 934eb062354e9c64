import { describe, expect, it } from 'vitest';
import { decodeJson } from './decode.js';
import { detectionValidator } from './detection.js';
import { segmentPropertiesValidator } from './segment.js';
import { trafficStatsValidator } from './stats.js';
import { weatherObservationValidator } from './weather.js';

const detection = { detectorId: 'A13-S-001-L1', lane: 1, ts: 1_773_126_000_000, speedKmh: 97.5, lengthM: 4.4 };

describe('detection contract', () => {
  it('accepts a minimal and a full detection', () => {
    expect(detectionValidator.check(detection)).toEqual({ ok: true, value: detection });
    const full = { ...detection, occupancyMs: 236, gapS: 1.9, seq: 42 };
    expect(detectionValidator.check(full).ok).toBe(true);
  });

  it.each([
    [{ ...detection, speedKmh: 0 }, [{ field: 'speedKmh', reason: 'must be > 0' }]],
    [{ ...detection, speedKmh: 301 }, [{ field: 'speedKmh', reason: 'must be <= 300' }]],
    [{ ...detection, lane: 1.5 }, [{ field: 'lane', reason: 'must be integer' }]],
    [{ ...detection, ts: '2026-03-10T07:00:00Z' }, [{ field: 'ts', reason: 'must be integer' }]],
    [{ ...detection, ts: 1_000 }, [{ field: 'ts', reason: 'must be >= 946684800000' }]],
    [{ lane: 1, ts: detection.ts, speedKmh: 90, lengthM: 4 }, [{ field: 'detectorId', reason: 'is required' }]],
    [{ ...detection, seq: -1, gapS: -0.5 }, [{ field: 'gapS', reason: 'must be >= 0' }, { field: 'seq', reason: 'must be >= 0' }]],
    [[detection], [{ field: '(record)', reason: 'must be object' }]],
  ])('refuses %j naming the field and the reason', (input, errors) => {
    expect(detectionValidator.check(input)).toEqual({ ok: false, errors });
  });

  it('reports JSON syntax errors like field errors', () => {
    const r = decodeJson('{"detectorId": ', detectionValidator);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0].field).toBe('(record)');
    if (!r.ok) expect(r.errors[0].reason).toMatch(/^not valid JSON: /);
  });
});

describe('weather observation contract', () => {
  const obs = {
    stationId: 'TAWES-11320',
    lat: 47.26,
    lon: 11.35,
    ts: 1_773_126_000_000,
    precipitationMmH: 2.4,
    precipitationType: 'rain',
    visibilityM: 4000,
    windSpeedMs: 3.1,
    airTemperatureC: 6.5,
  };
  it('accepts an observation with and without road sensors', () => {
    expect(weatherObservationValidator.check(obs).ok).toBe(true);
    expect(weatherObservationValidator.check({ ...obs, roadSurfaceTemperatureC: 1.2, roadSurfaceState: 'wet', windGustMs: 9 }).ok).toBe(true);
  });
  it('names the allowed values of an enumerated field', () => {
    expect(weatherObservationValidator.check({ ...obs, roadSurfaceState: 'slushy' })).toEqual({
      ok: false,
      errors: [{ field: 'roadSurfaceState', reason: 'must be one of "dry", "moist", "wet", "ice", "snow"' }],
    });
  });
});

describe('segment and stats contracts', () => {
  it('refuses a segment with a bad country code', () => {
    const r = segmentPropertiesValidator.check({
      segmentId: 'X', direction: 'northbound', lanes: 2, speedLimitKmh: 100, timezone: 'Europe/Vienna', country: 'at', detectors: [],
    });
    expect(r).toEqual({ ok: false, errors: [{ field: 'country', reason: 'must match pattern "^[A-Z]{2}$"' }] });
  });
  it('accepts an empty window record with nulls', () => {
    const r = trafficStatsValidator.check({
      segmentId: 'S', window: '1m', windowStartMs: 0, windowEndMs: 60_000, count: 0, flowVehH: 0, meanSpeedKmh: null,
      harmonicMeanSpeedKmh: null, speedStdKmh: null, speedCv: null, p85SpeedKmh: null, shareOverLimit: null, meanGapS: null,
      minGapS: null, shareGapUnder1s: null, shareGapUnder2s: null, occupancy: 0, truckShare: null, laneSpeedSpreadKmh: null,
      densityVehKm: 0, lateCount: 0,
    });
    expect(r.ok).toBe(true);
  });
});

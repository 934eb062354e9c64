import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HAZARD_PARAMETERS as P, hazardBreakdown, hazardPerMinute, precipitationRr, probabilityOfCrash, speedDropAlongRoad, visibilityRr, type HazardInputs } from './hazard.js';

/** Free-flowing two-lane traffic on a dry straight kilometre by day: every relative risk 1 but the straight's 1 + 120/10,000. */
const REF: HazardInputs = {
  lengthM: 1000,
  lanes: 2,
  flowVehH: 2400,
  speedKmh: 100,
  speed10Kmh: 100,
  speedStd10Kmh: 12,
  densityVehKm: 24,
  upstreamSpeedKmh: 100,
  downstreamSpeedKmh: 100,
  precipitationMmH: 0,
  precipitationType: 'none',
  visibilityM: 20_000,
  roadSurface: 'dry',
  dark: false,
  twilight: false,
  sunGlare: 0,
  minRadiusM: 10_000,
  holiday: false,
  tunnel: false,
};
const e = Math.exp;

describe('hazardBreakdown: the reference segment-minute', () => {
  it('is 0.5 crashes per million vehicle-km times 40 vehicle-km times the straight\'s 1.012', () => {
    const b = hazardBreakdown(REF);
    expect(b.vehicleKm).toBe(40);
    expect([b.lowFlow, b.density, b.speedVariation, b.shockwave, b.queueTail, b.traffic]).toEqual([1, 1, 1, 1, 1, 1]);
    expect([b.precipitation, b.surface, b.visibility, b.weather, b.light, b.glare, b.holiday]).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(b.curve).toBe(1.012);
    expect(b.hazard).toBeCloseTo(0.5e-6 * 40 * 1.012, 18);
  });

  it('scales with rateScale', () => {
    expect(hazardPerMinute(REF, { ...P, rateScale: 200 })).toBeCloseTo(200 * hazardPerMinute(REF), 15);
  });

  it('is zero on an empty road', () => {
    expect(hazardPerMinute({ ...REF, flowVehH: 0, speedKmh: null, speed10Kmh: null, speedStd10Kmh: null, densityVehKm: 0 })).toBe(0);
  });
});

describe('hazardBreakdown: one effect at a time (known answers)', () => {
  it.each<[string, Partial<HazardInputs>, keyof ReturnType<typeof hazardBreakdown>, number]>([
    ['low flow: 250 veh/h per lane', { flowVehH: 500, densityVehKm: 5 }, 'lowFlow', 1.5],
    ['low flow: none above 500 veh/h per lane', { flowVehH: 1000, densityVehKm: 10 }, 'lowFlow', 1],
    ['density 50 veh/km per lane', { densityVehKm: 100 }, 'density', 1.6],
    ['density capped at 2.5', { densityVehKm: 200 }, 'density', 2.5],
    ['speed sd one mph above the reference: Zheng et al.\'s 1.08', { speedStd10Kmh: 12 + 1.609344 }, 'speedVariation', 1.08],
    ['speed sd 20 km/h above', { speedStd10Kmh: 32 }, 'speedVariation', e((Math.log(1.08) / 1.609344) * 20)],
    ['speed sd capped at 40 km/h', { speedStd10Kmh: 90 }, 'speedVariation', e((Math.log(1.08) / 1.609344) * 28)],
    ['speed sd far below: floor 0.85', { speedStd10Kmh: 0 }, 'speedVariation', 0.85],
    ['25 km/h faster upstream', { upstreamSpeedKmh: 125 }, 'shockwave', 1 + 2 * (1 - e(-1))],
    ['50 km/h slower downstream', { downstreamSpeedKmh: 50 }, 'shockwave', 1 + 2 * (1 - e(-2))],
    ['faster downstream is no shockwave', { downstreamSpeedKmh: 130 }, 'shockwave', 1],
    ['15 km/h slower than the last 10 minutes', { speedKmh: 85, upstreamSpeedKmh: 85, downstreamSpeedKmh: 85 }, 'queueTail', 1 + 1.5 * (1 - e(-1))],
    ['rain 3 mm/h', { precipitationType: 'rain', precipitationMmH: 3 }, 'precipitation', 1 + 1.3 * (1 - e(-1))],
    ['hail counts as rain', { precipitationType: 'hail', precipitationMmH: 6 }, 'precipitation', 1 + 1.3 * (1 - e(-2))],
    ['snow 1 mm/h water equivalent', { precipitationType: 'snow', precipitationMmH: 1 }, 'precipitation', 1 + 1.2 * (1 - e(-1))],
    ['sleet counts as snow', { precipitationType: 'sleet', precipitationMmH: 0.5 }, 'precipitation', 1 + 1.2 * (1 - e(-0.5))],
    ['an icy road', { roadSurface: 'ice' }, 'weather', 3],
    ['a wet road in rain is the larger of the two, not both', { roadSurface: 'wet', precipitationType: 'rain', precipitationMmH: 3 }, 'weather', 1 + 1.3 * (1 - e(-1))],
    ['a wet road after the rain', { roadSurface: 'wet' }, 'weather', 1.3],
    ['fog, 250 m', { visibilityM: 250 }, 'visibility', 2],
    ['thick fog, capped at 3', { visibilityM: 50 }, 'visibility', 3],
    ['ice in fog, capped at 5', { roadSurface: 'ice', visibilityM: 250 }, 'weather', 5],
    ['darkness', { dark: true }, 'light', 1.6],
    ['twilight', { twilight: true }, 'light', 1.4],
    ['sun straight ahead on the whole segment', { sunGlare: 1 }, 'glare', 1.5],
    ['sun ahead on 40 % of it', { sunGlare: 0.4 }, 'glare', 1.2],
    ['a 300 m curve', { minRadiusM: 300 }, 'curve', 1.4],
    ['a public holiday', { holiday: true }, 'holiday', 1.1],
  ])('%s', (_what, change, factor, expected) => {
    expect(hazardBreakdown({ ...REF, ...change })[factor]).toBeCloseTo(expected, 12);
  });

  it('caps the traffic group at 6: a queue tail in stop-and-go reaching the segment', () => {
    const b = hazardBreakdown({ ...REF, densityVehKm: 160, speedStd10Kmh: 35, speedKmh: 20, speed10Kmh: 70, upstreamSpeedKmh: 95, downstreamSpeedKmh: 15, flowVehH: 3200 });
    expect(b.density * b.speedVariation * b.shockwave * b.queueTail).toBeGreaterThan(6);
    expect(b.traffic).toBe(6);
  });

  it('keeps the weather, darkness and sun out of a tunnel', () => {
    const b = hazardBreakdown({ ...REF, tunnel: true, precipitationType: 'snow', precipitationMmH: 3, roadSurface: 'ice', visibilityM: 80, dark: true, sunGlare: 1 });
    expect([b.weather, b.light, b.glare]).toEqual([1, 1, 1]);
  });

  it('multiplies the groups', () => {
    const b = hazardBreakdown({ ...REF, dark: true, precipitationType: 'rain', precipitationMmH: 3, minRadiusM: 300, holiday: true });
    expect(b.hazard).toBeCloseTo(0.5e-6 * 40 * (1 + 1.3 * (1 - e(-1))) * 1.6 * 1.4 * 1.1, 18);
  });
});

describe('the pieces', () => {
  it.each<[Partial<HazardInputs>, number]>([
    [{ speedKmh: 60, upstreamSpeedKmh: 90, downstreamSpeedKmh: 20 }, 40],
    [{ speedKmh: 60, upstreamSpeedKmh: 100, downstreamSpeedKmh: 50 }, 40],
    [{ speedKmh: 60, upstreamSpeedKmh: null, downstreamSpeedKmh: null }, 0],
    [{ speedKmh: null, upstreamSpeedKmh: 100, downstreamSpeedKmh: 20 }, 0],
    [{ speedKmh: 80, upstreamSpeedKmh: 70, downstreamSpeedKmh: 90 }, 0],
  ])('speed drop along the road of %j is %d km/h', (change, drop) => {
    expect(speedDropAlongRoad({ ...REF, ...change })).toBe(drop);
  });

  it.each<[number, number]>([
    [0, 0],
    [1e-9, 1e-9],
    [Math.log(2), 0.5],
    [Math.log(4), 0.75],
  ])('P(crash | %d expected) = %d', (lambda, p) => expect(probabilityOfCrash(lambda)).toBeCloseTo(p, 15));

  it('gives no precipitation effect without precipitation', () => {
    expect(precipitationRr('rain', 0)).toBe(1);
    expect(precipitationRr('none', 5)).toBe(1);
    expect(visibilityRr(1000)).toBe(1);
    expect(visibilityRr(0)).toBe(3);
  });
});

describe('hazard properties (fast-check)', () => {
  const inputs = fc.record({
    lengthM: fc.double({ min: 50, max: 3000, noNaN: true }),
    lanes: fc.integer({ min: 1, max: 5 }),
    flowVehH: fc.double({ min: 0, max: 8000, noNaN: true }),
    speedKmh: fc.option(fc.double({ min: 1, max: 180, noNaN: true }), { nil: null }),
    speed10Kmh: fc.option(fc.double({ min: 1, max: 180, noNaN: true }), { nil: null }),
    speedStd10Kmh: fc.option(fc.double({ min: 0, max: 80, noNaN: true }), { nil: null }),
    densityVehKm: fc.double({ min: 0, max: 700, noNaN: true }),
    upstreamSpeedKmh: fc.option(fc.double({ min: 1, max: 180, noNaN: true }), { nil: null }),
    downstreamSpeedKmh: fc.option(fc.double({ min: 1, max: 180, noNaN: true }), { nil: null }),
    precipitationMmH: fc.double({ min: 0, max: 100, noNaN: true }),
    precipitationType: fc.constantFrom('none', 'rain', 'snow', 'sleet', 'hail' as const),
    visibilityM: fc.double({ min: 0, max: 100_000, noNaN: true }),
    roadSurface: fc.constantFrom('dry', 'moist', 'wet', 'ice', 'snow' as const),
    dark: fc.boolean(),
    twilight: fc.boolean(),
    sunGlare: fc.double({ min: 0, max: 1, noNaN: true }),
    minRadiusM: fc.double({ min: 10, max: 10_000, noNaN: true }),
    holiday: fc.boolean(),
    tunnel: fc.boolean(),
  }) as fc.Arbitrary<HazardInputs>;

  it('is finite, not negative, and never more than every cap allows', () => {
    fc.assert(
      fc.property(inputs, (x) => {
        const b = hazardBreakdown(x);
        const most = 0.5e-6 * b.vehicleKm * 6 * 5 * 1.6 * 1.5 * (1 + 120 / x.minRadiusM) * 1.1;
        expect(Number.isFinite(b.hazard)).toBe(true);
        expect(b.hazard).toBeGreaterThanOrEqual(0);
        expect(b.hazard).toBeLessThanOrEqual(most * (1 + 1e-12));
      }),
    );
  });

  it('grows with precipitation intensity, fog and sharper curves, and is proportional to length', () => {
    fc.assert(
      fc.property(inputs, fc.double({ min: 0, max: 50, noNaN: true }), fc.double({ min: 0.1, max: 1, noNaN: true }), (x, more, shrink) => {
        const h = hazardPerMinute(x);
        expect(hazardPerMinute({ ...x, precipitationMmH: x.precipitationMmH + more })).toBeGreaterThanOrEqual(h);
        expect(hazardPerMinute({ ...x, visibilityM: x.visibilityM * shrink })).toBeGreaterThanOrEqual(h);
        expect(hazardPerMinute({ ...x, minRadiusM: x.minRadiusM * shrink })).toBeGreaterThanOrEqual(h);
        expect(hazardPerMinute({ ...x, lengthM: 2 * x.lengthM })).toBeCloseTo(2 * h, 20);
      }),
    );
  });
});

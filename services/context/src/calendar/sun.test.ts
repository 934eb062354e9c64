import SunCalc from 'suncalc';
import { describe, expect, it } from 'vitest';
import { angleBetweenDeg, compassAzimuthDeg, glareShare, sunPosition } from './sun.js';

const RULE = { glareMaxAltitudeDeg: 15, glareMaxAngleDeg: 25 };
const INNSBRUCK = { lat: 47.26, lon: 11.39 };

describe('suncalc azimuth to compass bearing', () => {
  // suncalc 1.9: radians from south, positive towards west.
  it.each([
    [0, 180], // south
    [-Math.PI / 2, 90], // east
    [Math.PI / 2, 270], // west
    [Math.PI, 0], // north
    [-Math.PI, 0],
    [-Math.PI / 4, 135], // south-east
    [(3 * Math.PI) / 4, 315], // north-west
  ])('%f rad is %d°', (rad, deg) => {
    expect(compassAzimuthDeg(rad)).toBeCloseTo(deg, 9);
  });

  it('on the March equinox at Innsbruck the sun rises in the east, culminates in the south at 90° - latitude and sets in the west', () => {
    const t = SunCalc.getTimes(new Date(Date.UTC(2026, 2, 20, 12)), INNSBRUCK.lat, INNSBRUCK.lon);
    expect(t.sunrise.toISOString()).toBe('2026-03-20T05:19:23.723Z');
    const rise = sunPosition(t.sunrise.getTime(), INNSBRUCK.lat, INNSBRUCK.lon);
    const noon = sunPosition(t.solarNoon.getTime(), INNSBRUCK.lat, INNSBRUCK.lon);
    const set = sunPosition(t.sunset.getTime(), INNSBRUCK.lat, INNSBRUCK.lon);
    expect(rise.azimuthDeg).toBeCloseTo(89.66, 2);
    expect(rise.altitudeDeg).toBeCloseTo(-0.76, 2); // suncalc's sunrise: the upper limb at the horizon with refraction
    expect(noon.azimuthDeg).toBeCloseTo(180, 0);
    expect(noon.altitudeDeg).toBeCloseTo(42.51, 2); // 90 - 47.26 + declination (-0.23)
    expect(set.azimuthDeg).toBeCloseTo(270.81, 2);
  });

  it('at local midnight the sun is far below the horizon, due north-ish', () => {
    const p = sunPosition(Date.UTC(2026, 2, 20, 23, 0), INNSBRUCK.lat, INNSBRUCK.lon);
    expect(p.altitudeDeg).toBeCloseTo(-42.53, 2);
    expect(angleBetweenDeg(p.azimuthDeg, 0)).toBeLessThan(10);
  });
});

describe('angleBetweenDeg', () => {
  it.each([
    [0, 0, 0],
    [10, 350, 20],
    [350, 10, 20],
    [90, 270, 180],
    [0, 181, 179],
    [720, 5, 5],
  ])('between %d° and %d° is %d°', (a, b, want) => expect(angleBetweenDeg(a, b)).toBe(want));
});

describe('glareShare', () => {
  const east = { headings: [90], shares: [1] };
  it.each([
    ['low sun ahead', 5, 95, 1],
    ['at the angle limit', 5, 115, 1],
    ['just past the angle limit', 5, 115.01, 0],
    ['sun behind', 5, 270, 0],
    ['sun below the horizon', -0.5, 90, 0],
    ['sun on the horizon', 0, 90, 0],
    ['at the altitude limit', 15, 90, 1],
    ['sun too high', 15.01, 90, 0],
  ])('east-bound, %s (altitude %d°, azimuth %d°): %d', (_, alt, az, want) => {
    expect(glareShare({ altitudeDeg: alt, azimuthDeg: az }, east.headings, east.shares, RULE)).toBe(want);
  });

  it('a bend counts the share of length driven towards the sun', () => {
    expect(glareShare({ altitudeDeg: 5, azimuthDeg: 100 }, [0, 90, 120], [0.5, 0.3, 0.2], RULE)).toBeCloseTo(0.5, 12);
  });
});

import { describe, expect, it } from 'vitest';
import { A13_POINTS, fixture, T0 } from '../testing/harness.js';
import { mapLocation, requestUrl, responseLocations, UnexpectedResponse } from './open-meteo.js';

const [INNSBRUCK, BRENNER] = A13_POINTS;
const locations = (name: string, n: number) => responseLocations(JSON.parse(fixture(name)), n);

describe('requestUrl', () => {
  it('asks for the current variables at every point, as unix seconds, keeping the base URL\'s own parameters', () => {
    const url = new URL(requestUrl('https://customer-api.open-meteo.com/v1/forecast?apikey=s3cret', A13_POINTS));
    expect(url.origin + url.pathname).toBe('https://customer-api.open-meteo.com/v1/forecast');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      apikey: 's3cret',
      latitude: '47.2600,47.0200',
      longitude: '11.4000,11.5000',
      current: 'temperature_2m,precipitation,rain,showers,snowfall,weather_code,visibility,wind_speed_10m,wind_gusts_10m',
      timeformat: 'unixtime',
    });
  });
});

describe('mapLocation on recorded responses', () => {
  it('maps a two-location answer: rain in Innsbruck, snow on the Brenner; km/h to m/s, 15-minute sums to mm/h', () => {
    const [a, b] = locations('a13-two-points.json', 2);
    expect(mapLocation(a, INNSBRUCK)).toEqual({
      ok: true,
      raw: JSON.stringify(a),
      observation: {
        stationId: 'open-meteo:47.2600,11.4000',
        lat: 47.26,
        lon: 11.4,
        elevationM: 578,
        ts: T0,
        precipitationMmH: 1.6,
        precipitationType: 'rain',
        visibilityM: 12_400,
        windSpeedMs: 4.11,
        windGustMs: 8.69,
        airTemperatureC: 4.3,
      },
    });
    expect(mapLocation(b, BRENNER)).toMatchObject({
      ok: true,
      observation: { stationId: 'open-meteo:47.0200,11.5000', elevationM: 1370, ts: T0, precipitationMmH: 1.2, precipitationType: 'snow', visibilityM: 1800, windSpeedMs: 6.19, windGustMs: 13.19, airTemperatureC: -1.2 },
    });
  });

  it('reads a single-location object with local ISO time and its UTC offset (fog: no precipitation, 140 m)', () => {
    const [loc] = locations('innsbruck-iso-time.json', 1);
    expect(mapLocation(loc, INNSBRUCK)).toMatchObject({
      ok: true,
      observation: { ts: T0, precipitationMmH: 0, precipitationType: 'none', visibilityM: 140, windSpeedMs: 1, windGustMs: 2, airTemperatureC: 6.8 },
    });
  });

  it('converts the units the response declares: °F, inches, feet and mp/h', () => {
    const [loc] = locations('brenner-imperial.json', 1);
    expect(mapLocation(loc, BRENNER)).toMatchObject({
      ok: true,
      observation: { precipitationMmH: 2.03, precipitationType: 'snow', visibilityM: 305, windSpeedMs: 8.94, windGustMs: 20.12, airTemperatureC: -2 },
    });
  });

  it('names each field it cannot use: a null value, a missing block, an unknown unit', () => {
    const [missing] = locations('missing-fields.json', 2);
    expect(mapLocation(missing, INNSBRUCK)).toEqual({ ok: false, raw: JSON.stringify(missing), errors: [{ field: 'current.visibility', reason: 'is missing' }] });
    expect(mapLocation({ latitude: 47.26 }, INNSBRUCK)).toEqual({ ok: false, raw: '{"latitude":47.26}', errors: [{ field: 'current', reason: 'is missing' }] });
    const knots = JSON.parse(fixture('innsbruck-iso-time.json')) as { current_units: Record<string, string> };
    knots.current_units.wind_speed_10m = 'Beaufort';
    expect(mapLocation(knots, INNSBRUCK)).toMatchObject({ ok: false, errors: [{ field: 'current_units.wind_speed_10m', reason: 'unit "Beaufort" is not known' }] });
  });
});

describe('responseLocations', () => {
  it.each([
    [JSON.parse(fixture('error-400.json')), 2, 'Open-Meteo refused the request: Cannot initialize WeatherVariable from invalid String value visibilty for key current'],
    [JSON.parse(fixture('a13-two-points.json')), 3, 'expected 3 locations, got 2'],
    [[1, 2], 2, 'location 0 is not an object'],
  ])('refuses a body that is not the documented shape (%#)', (body, expected, message) => {
    expect(() => responseLocations(body, expected)).toThrow(new UnexpectedResponse(message));
  });
});

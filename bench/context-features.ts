// Context features (road shape, calendar, sun, weather) per segment-minute, on one core: the whole
// bundled A13 network over ten days, and a synthetic 10,008-segment network (139 copies of the
// A13 spread over the Alps and southern Germany, in three countries, two time zones and many
// regions) over two hours. Every station of the weather table reports every minute, so the
// per-segment interpolation is redone each minute, as in production.
import { readFileSync } from 'node:fs';
import type { WeatherObservation } from '@saferoads/shared/contracts';
import { DEFAULT_NETWORK_PATH, loadNetwork, parseNetwork, type Network } from '@saferoads/shared/network';
import { CONTEXT_FEATURE_COUNT, ContextFeatureAssembler, InMemoryWeatherTable } from '@saferoads/context';

type Json = Record<string, unknown> & { properties: Record<string, unknown>; geometry: { coordinates: number[][] } };

const PLACES = [
  { country: 'AT', timezone: 'Europe/Vienna', regions: ['1', '2', '3', '4', '5', '6', '7', '8', '9'] },
  { country: 'DE', timezone: 'Europe/Berlin', regions: ['BY', 'BW', 'HE', 'RP', 'SL', 'TH', 'SN'] },
  { country: 'CH', timezone: 'Europe/Zurich', regions: ['ZH', 'BE', 'LU', 'GR', 'TI', 'VS', 'SG'] },
];

/** `copies` copies of the bundled network on a grid 0.5° x 0.7° apart, with their own ids and places. */
function syntheticNetwork(copies: number): Network {
  const base = JSON.parse(readFileSync(DEFAULT_NETWORK_PATH, 'utf8')) as { features: Json[] };
  const features: Json[] = [];
  for (let k = 0; k < copies; k++) {
    const dLat = (k % 12) * 0.5 - 1.5;
    const dLon = Math.floor(k / 12) * 0.7 - 4;
    const place = PLACES[k % PLACES.length];
    const region = place.regions[Math.floor(k / PLACES.length) % place.regions.length];
    const id = (s: unknown) => `C${k}-${String(s)}`;
    for (const f of base.features) {
      const p = { ...f.properties };
      if ('rampId' in p) {
        p.rampId = id(p.rampId);
        p.segmentId = id(p.segmentId);
      } else {
        p.segmentId = id(p.segmentId);
        p.country = place.country;
        p.region = region;
        p.timezone = place.timezone;
        p.detectors = (p.detectors as { detectorId: string; lane: number }[]).map((d) => ({ ...d, detectorId: id(d.detectorId) }));
      }
      const coordinates = f.geometry.coordinates.map(([lon, lat, z]) => [lon + dLon, lat + dLat, z]);
      features.push({ type: 'Feature', properties: p, geometry: { type: 'LineString', coordinates } } as Json);
    }
  }
  return parseNetwork({ type: 'FeatureCollection', name: `synthetic-${copies}`, features });
}

/** Stations on a grid every `stepDeg` over the network's bounding box (plus a margin). */
function stationGrid(net: Network, stepDeg: number): { id: string; lat: number; lon: number }[] {
  let [minLat, maxLat, minLon, maxLon] = [90, -90, 180, -180];
  for (const s of net.segments) {
    for (const [lon, lat] of s.coordinates) {
      minLat = Math.min(minLat, lat);
      maxLat = Math.max(maxLat, lat);
      minLon = Math.min(minLon, lon);
      maxLon = Math.max(maxLon, lon);
    }
  }
  const out: { id: string; lat: number; lon: number }[] = [];
  for (let lat = minLat - stepDeg; lat <= maxLat + stepDeg; lat += stepDeg) {
    for (let lon = minLon - stepDeg; lon <= maxLon + stepDeg; lon += stepDeg) out.push({ id: `W${out.length}`, lat, lon });
  }
  return out;
}

function run(label: string, net: Network, startMs: number, minutes: number, stepDeg: number) {
  const t0 = process.hrtime.bigint();
  const assembler = new ContextFeatureAssembler(net);
  const buildSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const stations = stationGrid(net, stepDeg);
  const rows = new Float64Array(net.segments.length * CONTEXT_FEATURE_COUNT);
  let checksum = 0;
  const pass = (table: InMemoryWeatherTable, minuteCount: number): number => {
    const start = process.hrtime.bigint();
    for (let m = 0; m < minuteCount; m++) {
      const ms = startMs + m * 60_000;
      for (let k = 0; k < stations.length; k++) {
        const s = stations[k];
        const cold = (k + m) % 5 === 0;
        const reading: WeatherObservation = {
          stationId: s.id,
          lat: s.lat,
          lon: s.lon,
          elevationM: 600 + (k % 7) * 150,
          ts: ms - (k % 13) * 60_000,
          precipitationMmH: cold ? 0.6 : 0,
          precipitationType: cold ? 'snow' : 'none',
          visibilityM: cold ? 900 : 15_000,
          windSpeedMs: 3 + (k % 4),
          windGustMs: k % 2 === 0 ? 9 : undefined,
          airTemperatureC: cold ? -1 : 4,
          roadSurfaceTemperatureC: k % 3 === 0 ? 0.5 : undefined,
          roadSurfaceState: k % 3 === 0 ? (cold ? 'snow' : 'wet') : undefined,
        };
        table.upsert(reading);
      }
      assembler.writeAll(ms, table, rows);
      checksum += rows[rows.length - 1];
    }
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  // Warm-up: lets the JIT settle, and places the stations near every segment once (a one-off per
  // station, not per minute).
  const table = new InMemoryWeatherTable();
  const placeSeconds = pass(table, 1);
  pass(table, Math.max(1, Math.floor(minutes / 10)));
  const times: number[] = [];
  for (let i = 0; i < 5; i++) times.push(pass(table, minutes));
  times.sort((a, b) => a - b);
  const segmentMinutes = net.segments.length * minutes;
  return {
    network: label,
    segments: net.segments.length,
    stations: stations.length,
    minutes,
    segmentMinutes,
    buildSeconds: +buildSeconds.toFixed(3),
    firstMinuteSeconds: +placeSeconds.toFixed(3),
    bestSeconds: +times[0].toFixed(3),
    medianSeconds: +times[2].toFixed(3),
    bestSegmentMinutesPerSecond: Math.round(segmentMinutes / times[0]),
    medianSegmentMinutesPerSecond: Math.round(segmentMinutes / times[2]),
    lastRowFinite: Number.isFinite(checksum),
  };
}

// From Saturday evening across the spring clock change (29 March 2026, 01:00 UTC) into Sunday.
const start = Date.UTC(2026, 2, 28, 20, 0);
const bundled = run('bundled A13', loadNetwork(), start, 14_400, 0.1);
const synthetic = run('synthetic 139 x A13', syntheticNetwork(139), start, 120, 0.25);
console.log(JSON.stringify({ bench: 'context-features', target: 200_000, bundled, synthetic }));

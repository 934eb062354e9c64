// A country-sized road network and a minute of its traffic statistics, for bench/score.ts.
import { readFileSync } from 'node:fs';
import type { TrafficStats, WeatherObservation } from '@saferoads/shared/contracts';
import { DEFAULT_NETWORK_PATH, parseNetwork, type Network } from '@saferoads/shared/network';

type Json = Record<string, unknown> & { properties: Record<string, unknown>; geometry: { coordinates: number[][] } };

/**
 * `segments` segments made of copies of the bundled A13 (72 segments each, with its ramps,
 * curves, tunnel and bridges), on a 24 × 24 grid over Austria (9.5–17° E, 46.4–49° N), each copy
 * with its own ids and one of the nine federal states; the last copy is cut short.
 */
export function countryNetwork(segments: number): Network {
  const base = JSON.parse(readFileSync(DEFAULT_NETWORK_PATH, 'utf8')) as { features: Json[] };
  const perCopy = base.features.filter((f) => !('rampId' in f.properties)).length;
  const features: Json[] = [];
  let made = 0;
  for (let k = 0; made < segments; k++) {
    const dLat = (k % 24) * 0.11 - 0.9;
    const dLon = Math.floor(k / 24) * 0.31 - 1.9;
    const id = (s: unknown) => `C${k}-${String(s)}`;
    const partial = segments - made < perCopy;
    for (const f of base.features) {
      const p = { ...f.properties };
      if ('rampId' in p) {
        if (partial) continue;
        p.rampId = id(p.rampId);
        p.segmentId = id(p.segmentId);
      } else {
        if (made === segments) continue;
        made++;
        p.segmentId = id(p.segmentId);
        p.region = String(1 + (k % 9));
        p.detectors = (p.detectors as { detectorId: string; lane: number }[]).map((d) => ({ ...d, detectorId: id(d.detectorId) }));
      }
      const coordinates = f.geometry.coordinates.map(([lon, lat, z]) => [lon + dLon, lat + dLat, z]);
      features.push({ type: 'Feature', properties: p, geometry: { type: 'LineString', coordinates } } as Json);
    }
  }
  return parseNetwork({ type: 'FeatureCollection', name: `austria-${segments}`, features });
}

/** A deterministic uniform in [0, 1) from two integers (a splitmix-style hash). */
function u(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

const r3 = (v: number) => Math.round(v * 1000) / 1000;
const r5 = (v: number) => Math.round(v * 1e5) / 1e5;

/**
 * Both windows of every segment for the minute ending at `endMs`, with consistent, realistic
 * values: most segments in free flow (300–1,500 veh/h per lane near the limit), one in 25
 * congested (25–45 km/h, dense, short gaps) for a quarter of an hour at a time, so that some
 * scores rise and alerts run their course.
 */
export function minuteStats(net: Network, endMs: number): TrafficStats[] {
  const out: TrafficStats[] = [];
  const minute = Math.floor(endMs / 60_000);
  for (const s of net.segments) {
    const i = s.index;
    const lanes = s.props.lanes;
    const limit = s.props.speedLimitKmh;
    const jam = u(i, Math.floor(minute / 15)) < 0.04;
    for (const window of ['1m', '10m'] as const) {
      const w = window === '1m' ? 1 : 10;
      const x = u(i * 2 + w, minute);
      const perLane = jam ? 600 + 500 * x : 300 + 1200 * u(i, 7) + 150 * (x - 0.5);
      const flow = Math.round(perLane * lanes);
      const mean = jam ? 25 + 20 * x : limit * (0.88 + 0.12 * u(i, 11)) + 6 * (x - 0.5);
      const sd = jam ? 8 + 7 * x : 10 + 6 * u(i, 13);
      const hm = mean - (sd * sd) / mean;
      const count = Math.round((flow * w) / 60);
      const gap = (3600 * lanes) / Math.max(flow, 1);
      out.push({
        segmentId: s.id,
        window,
        windowStartMs: endMs - w * 60_000,
        windowEndMs: endMs,
        count,
        flowVehH: flow,
        meanSpeedKmh: r3(mean),
        harmonicMeanSpeedKmh: r3(hm),
        speedStdKmh: r3(sd),
        speedCv: r5(sd / mean),
        p85SpeedKmh: r3(mean + 1.04 * sd),
        shareOverLimit: r5(jam ? 0 : Math.min(1, Math.max(0, 0.5 + (mean - limit) / (2 * sd)))),
        meanGapS: r3(gap),
        minGapS: r3(Math.min(gap, jam ? 0.4 : 0.7)),
        shareGapUnder1s: r5(jam ? 0.3 : 0.05 + 0.1 * x),
        shareGapUnder2s: r5(jam ? 0.6 : 0.15 + 0.15 * x),
        occupancy: r5(Math.min(0.95, (flow * 0.0062) / hm / lanes)),
        truckShare: r5(0.08 + 0.17 * u(i, 17)),
        laneSpeedSpreadKmh: r3(jam ? 4 + 4 * x : 8 + 10 * u(i, 19)),
        densityVehKm: r3(flow / hm),
        lateCount: 0,
      });
    }
  }
  return out;
}

/** Stations every 0.25° over the network, each reporting at `ms`: rain over its western tenth. */
export function weatherAt(net: Network, ms: number): WeatherObservation[] {
  let [minLat, maxLat, minLon, maxLon] = [90, -90, 180, -180];
  for (const s of net.segments) {
    for (const [lon, lat] of s.coordinates) {
      minLat = Math.min(minLat, lat);
      maxLat = Math.max(maxLat, lat);
      minLon = Math.min(minLon, lon);
      maxLon = Math.max(maxLon, lon);
    }
  }
  const out: WeatherObservation[] = [];
  for (let lat = minLat - 0.25; lat <= maxLat + 0.25; lat += 0.25) {
    for (let lon = minLon - 0.25; lon <= maxLon + 0.25; lon += 0.25) {
      const wet = lon < minLon + (maxLon - minLon) / 10;
      out.push({
        stationId: `W${out.length}`,
        lat,
        lon,
        ts: ms,
        precipitationMmH: wet ? 2.5 : 0,
        precipitationType: wet ? 'rain' : 'none',
        visibilityM: wet ? 4_000 : 20_000,
        windSpeedMs: 4,
        airTemperatureC: 7,
        roadSurfaceState: wet ? 'wet' : 'dry',
      });
    }
  }
  return out;
}

import { loadNetwork } from '@saferoads/shared/network';
import { describe, expect, it } from 'vitest';
import { Projection } from './geo.js';
import { placeStations } from './stations.js';

const a13 = loadNetwork();
const projection = new Projection(a13);

describe('placeStations', () => {
  it('places a station about every 8 km along the A13, one per stretch of road, the same every time', () => {
    const stations = placeStations(a13, projection);
    expect(stations.map((s) => s.stationId)).toEqual(['WS-A13-S-001', 'WS-A13-S-011', 'WS-A13-S-020', 'WS-A13-S-029', 'WS-A13-N-001']);
    expect(placeStations(a13, projection)).toEqual(stations);
    for (const s of stations) expect(a13.byId.get(s.segmentId)).toBeDefined();
    // Innsbruck in the valley to the Brenner pass.
    expect(stations.map((s) => Math.round(s.elevationM!))).toEqual([584, 819, 1002, 1181, 1358]);
  });

  it('keeps stations at least half a spacing apart, and places more for a shorter spacing', () => {
    for (const spacing of [2, 4, 8, 16]) {
      const stations = placeStations(a13, projection, spacing);
      for (const a of stations) {
        for (const b of stations) {
          if (a === b) continue;
          const p = projection.toKm(a);
          const q = projection.toKm(b);
          expect(Math.hypot(p.x - q.x, p.y - q.y)).toBeGreaterThanOrEqual(spacing / 2);
        }
      }
    }
    expect(placeStations(a13, projection, 2).length).toBeGreaterThan(placeStations(a13, projection, 8).length);
    expect(() => placeStations(a13, projection, 0)).toThrow('station spacing must be > 0 km, got 0');
  });
});

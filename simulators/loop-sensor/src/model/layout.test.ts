import { describe, expect, it } from 'vitest';
import { testRoad } from '../test-support/network.js';
import { LANE_DROP_FACTOR, MERGE_FACTOR, TUNNEL_FACTOR } from './capacity.js';
import { buildLayout, headingOf } from './layout.js';

describe('buildLayout', () => {
  it('cuts segments into equal cells of about 250 m that satisfy the CFL condition', () => {
    const l = buildLayout(testRoad([{ lengthM: 1000 }, { lengthM: 600, speedLimitKmh: 130 }]), 5);
    expect(l.cellCount).toBe(6);
    expect(Array.from(l.lengthM)).toEqual([250, 250, 250, 250, 300, 300]);
    expect(Array.from(l.xM)).toEqual([0, 250, 500, 750, 1000, 1300]);
    for (let i = 0; i < l.cellCount; i++) expect(l.lengthM[i]).toBeGreaterThanOrEqual(l.carFreeMs[i] * 5);
    expect(l.substeps).toBe(1);
    expect(l.totalLengthM).toBe(1600);
  });

  it('sub-steps a chain whose shortest cell is shorter than vf * dt', () => {
    const l = buildLayout(testRoad([{ lengthM: 1000 }, { lengthM: 120 }]), 5);
    // 110 km/h * 5 s = 152.8 m > 120 m: two sub-steps of 2.5 s.
    expect(l.substeps).toBe(2);
  });

  it('derives grade from elevations and heavier lorry equivalents uphill', () => {
    const l = buildLayout(testRoad([{ lengthM: 1000, riseM: 50 }, { lengthM: 1000, riseM: -20 }]), 5);
    expect(l.gradePct[0]).toBeCloseTo(5, 6);
    expect(l.gradePct[4]).toBeCloseTo(-2, 6);
    expect(l.pce[0]).toBeCloseTo(2.5, 6);
    expect(l.pce[4]).toBe(1.5);
    // Lorries crawl up 5 %: 84 - 6 * 2 = 72 km/h.
    expect(l.truckFreeMs[0] * 3.6).toBeCloseTo(72, 6);
  });

  it('reduces capacity in tunnels, at merges and after a lane drop', () => {
    const l = buildLayout(
      testRoad([
        { lanes: 3, surfaceQuality: 1 },
        { lanes: 2, surfaceQuality: 1 },
        { structure: 'tunnel', surfaceQuality: 1 },
        { onRamp: true, offRamp: true, surfaceQuality: 1 },
      ]),
      5,
    );
    expect(l.pcuPerLaneH[0]).toBe(1950);
    expect(l.pcuPerLaneH[4]).toBeCloseTo(1950 * LANE_DROP_FACTOR, 9);
    expect(l.pcuPerLaneH[5]).toBe(1950);
    expect(l.pcuPerLaneH[8]).toBeCloseTo(1950 * TUNNEL_FACTOR, 9);
    expect(l.onRamps).toEqual([{ rampId: 'N-004-ON', cell: 12 }]);
    expect(l.offRamps).toEqual([{ rampId: 'N-004-OFF', cell: 15 }]);
    expect(l.pcuPerLaneH[12]).toBeCloseTo(1950 * MERGE_FACTOR, 9);
  });

  it('places each station in the cell of its detectorAt position', () => {
    const l = buildLayout(testRoad([{}, { detectorAt: 0.9 }]), 5);
    expect(l.stations.map((s) => s.cell)).toEqual([2, 7]);
    expect(l.stations.map((s) => s.xM)).toEqual([500, 1900]);
  });

  it('calls the carriageway that ends further north inbound', () => {
    expect(headingOf(testRoad([{}, {}]))).toBe('inbound');
    expect(headingOf(testRoad([{}, {}], { direction: 'southbound' }))).toBe('outbound');
  });
});

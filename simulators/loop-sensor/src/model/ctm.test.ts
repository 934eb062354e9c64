import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { testRoad } from '../test-support/network.js';
import { CAPACITY_DROP, LANE_DROP_FACTOR } from './capacity.js';
import { ChainCtm, type ChainInputs } from './ctm.js';
import { buildLayout, type ChainLayout } from './layout.js';

function inputs(l: ChainLayout, carsPerH: number, trucksPerH = 0, rampPerH = 0, offShare = 0): ChainInputs {
  return {
    srcCar: carsPerH / 3600,
    srcTruck: trucksPerH / 3600,
    rampCar: new Float64Array(l.onRamps.length).fill(rampPerH / 3600),
    rampTruck: new Float64Array(l.onRamps.length),
    offShare: new Float64Array(l.offRamps.length).fill(offShare),
  };
}

describe('ChainCtm', () => {
  it('conserves vehicles: in = out + stored, demand = in + queued', () => {
    const l = buildLayout(
      testRoad([{ lanes: 3 }, { lanes: 2, onRamp: true }, { offRamp: true }, { lanes: 1 }, { onRamp: true }, {}]),
      5,
    );
    const ctm = new ChainCtm(l);
    const rng = new Rng(1);
    let demand = 0;
    for (let k = 0; k < 1500; k++) {
      const inp = inputs(l, rng.between(0, 3000), rng.between(0, 600), rng.between(0, 900), rng.between(0, 0.3));
      if (k === 300) ctm.capacityFactor.fill(0.2, 10, 14);
      if (k === 700) ctm.capacityFactor.fill(1);
      ctm.step(5, inp);
      let d = inp.srcCar + inp.srcTruck;
      for (let j = 0; j < inp.rampCar.length; j++) d += inp.rampCar[j] + inp.rampTruck[j];
      demand += d * 5;
    }
    expect(ctm.entered).toBeGreaterThan(1000);
    expect(ctm.entered - ctm.exited).toBeCloseTo(ctm.stored(), 6);
    expect(demand).toBeCloseTo(ctm.entered + ctm.queued(), 6);
  });

  it('carries a steady demand at free-flow speed through every cell', () => {
    const l = buildLayout(testRoad([{}, {}, {}, {}]), 5);
    const ctm = new ChainCtm(l);
    const inp = inputs(l, 1200, 300);
    for (let k = 0; k < 400; k++) ctm.step(5, inp);
    for (let i = 0; i < l.cellCount; i++) {
      const m = ctm.measure(i);
      expect(m.flow * 3600).toBeCloseTo(1500, 6);
      expect(m.truckShare).toBeCloseTo(0.2, 6);
      expect(m.speedMs).toBeCloseTo(m.freeSpeedMs, 6);
    }
  });

  it('adds on-ramp traffic and takes off-ramp shares away', () => {
    const l = buildLayout(testRoad([{}, { onRamp: true }, { offRamp: true }, {}]), 5);
    const ctm = new ChainCtm(l);
    const inp = inputs(l, 1000, 0, 400, 0.25);
    for (let k = 0; k < 400; k++) ctm.step(5, inp);
    expect(ctm.measure(2).flow * 3600).toBeCloseTo(1000, 6);
    expect(ctm.measure(6).flow * 3600).toBeCloseTo(1400, 6);
    expect(ctm.measure(13).flow * 3600).toBeCloseTo(1050, 6);
  });

  it('discharges a lane-drop queue at bottleneck capacity less the capacity drop, and the queue grows upstream', () => {
    const twoLanes = Array.from({ length: 8 }, () => ({ surfaceQuality: 1 }));
    const specs = [...twoLanes, { lanes: 1, surfaceQuality: 1 }, { lanes: 1, surfaceQuality: 1 }];
    const l = buildLayout(testRoad(specs), 5);
    const ctm = new ChainCtm(l);
    const inp = inputs(l, 2600);
    const firstSlow = new Array<number>(l.cellCount).fill(-1);
    for (let k = 0; k < 12 * 60; k++) {
      ctm.step(5, inp);
      for (let i = 0; i < l.cellCount; i++) if (firstSlow[i] < 0 && ctm.measure(i).speedMs * 3.6 < 50) firstSlow[i] = k;
    }
    // The 1-lane section is free flowing at 1950 pcu/h x lane-drop taper x (1 - capacity drop).
    const expected = 1950 * LANE_DROP_FACTOR * (1 - CAPACITY_DROP);
    expect(ctm.measure(l.cellCount - 1).flow * 3600).toBeCloseTo(expected, 3);
    // The queue occupies the cells just upstream of the drop, each later than the next one downstream.
    const queued = firstSlow.slice(0, 32);
    expect(queued[31]).toBeGreaterThanOrEqual(0);
    for (let i = 31; i > 0 && queued[i - 1] >= 0; i--) expect(queued[i - 1]).toBeGreaterThan(queued[i]);
    expect(queued.filter((t) => t >= 0).length).toBeGreaterThan(10);
  });

  it('lets nothing pass a full closure', () => {
    const l = buildLayout(testRoad([{}, {}, {}]), 5);
    const ctm = new ChainCtm(l);
    ctm.capacityFactor.fill(0, 4, 8);
    for (let k = 0; k < 200; k++) ctm.step(5, inputs(l, 1500));
    expect(ctm.measure(10).flow).toBe(0);
    expect(ctm.exited).toBe(0);
  });
});

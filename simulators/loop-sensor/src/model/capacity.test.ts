import { describe, expect, it } from 'vitest';
import { basePcuPerLaneH, incidentFactor, surfaceFactor, truckPce } from './capacity.js';

describe('capacity parameters', () => {
  it('grows base capacity with the speed limit within 1900-2150 pcu/h/lane', () => {
    expect(basePcuPerLaneH(80)).toBe(1900);
    expect(basePcuPerLaneH(100)).toBe(1950);
    expect(basePcuPerLaneH(130)).toBe(2100);
    expect(basePcuPerLaneH(200)).toBe(2150);
  });

  it('weighs lorries more on steep uphill grades', () => {
    expect(truckPce(0)).toBe(1.5);
    expect(truckPce(3)).toBe(1.5);
    expect(truckPce(5)).toBe(2.5);
  });

  it('takes incident capacity from the HCM table', () => {
    expect(incidentFactor(2, 0)).toBe(0.81);
    expect(incidentFactor(2, 1)).toBe(0.35);
    expect(incidentFactor(2, 2)).toBe(0);
    expect(incidentFactor(3, 2)).toBe(0.17);
    expect(incidentFactor(1, 0)).toBe(0.75);
    expect(incidentFactor(1, 1)).toBe(0);
    expect(incidentFactor(10, 5)).toBeCloseTo(0.3, 10);
  });

  it('costs up to 6 % on poor pavement', () => {
    expect(surfaceFactor(1)).toBe(1);
    expect(surfaceFactor(0)).toBe(0.94);
  });
});

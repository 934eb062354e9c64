import type { Detection } from '@saferoads/shared';
import type { Network } from '@saferoads/shared/network';
import { LoopSimulator } from '../simulator.js';
import type { DetectionBatch, LoopSimulatorOptions } from '../types.js';
import { testNetwork, testRoad } from './network.js';

/** Two short carriageways with ramps, a tunnel, a lane drop and a grade. */
export function smallNetwork(): Network {
  const north = testRoad(
    [{ lanes: 3 }, { lanes: 3, offRamp: true }, { lanes: 2, onRamp: true }, { riseM: 40 }, { structure: 'tunnel' }, {}],
    { direction: 'northbound', lon: 11.4 },
  );
  const south = testRoad([{}, { onRamp: true }, {}, { offRamp: true }, { lanes: 3 }, {}], {
    direction: 'southbound',
    lon: 11.41,
  });
  return testNetwork(north, south);
}

/** 07:20 local time on a Tuesday in Vienna. */
export const MORNING = Date.parse('2026-03-10T06:20:00Z');

export function simulate(opts: Partial<LoopSimulatorOptions> = {}): DetectionBatch[] {
  const sim = new LoopSimulator({ network: smallNetwork(), seed: 1, startMs: MORNING, minutes: 10, ...opts });
  return [...sim.batches()];
}

export const all = (bs: readonly DetectionBatch[]): Detection[] => bs.flatMap((b) => b.detections);

/** A record's identity: a detector's sequence number. */
export const key = (d: Detection) => `${d.detectorId}#${d.seq}`;

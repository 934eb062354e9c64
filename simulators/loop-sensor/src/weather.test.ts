import type { Detection } from '@saferoads/shared';
import { describe, expect, it } from 'vitest';
import { LoopSimulator } from './simulator.js';
import { all, smallNetwork } from './test-support/fixtures.js';
import type { WeatherInput } from './types.js';

/** A Tuesday 10:00 local: traffic flows freely, so speeds are free-flow speeds. */
const LATE_MORNING = Date.parse('2026-03-10T09:00:00Z');

function run(weather?: WeatherInput, minutes = 20): Detection[] {
  return all([...new LoopSimulator({ network: smallNetwork(), seed: 5, startMs: LATE_MORNING, minutes, ...(weather && { weather }) }).batches()]);
}

const meanSpeed = (ds: readonly Detection[]) => ds.reduce((s, d) => s + d.speedKmh, 0) / ds.length;

describe('LoopSimulator with a weather input', () => {
  const dry = run();

  it('is the dry run exactly when the weather changes nothing', () => {
    expect(JSON.stringify(run(() => ({ speed: 1, capacity: 1 })))).toBe(JSON.stringify(dry));
  });

  it('slows free-flowing traffic by the speed factor, deterministically, and asks for every segment at step middles', () => {
    const asked: [string, number][] = [];
    const heavyRain: WeatherInput = (seg, t) => {
      asked.push([seg.id, t]);
      return { speed: 0.94, capacity: 0.86 };
    };
    const wet = run(heavyRain);
    const ratio = meanSpeed(wet) / meanSpeed(dry);
    expect(ratio).toBeGreaterThan(0.93);
    expect(ratio).toBeLessThan(0.95);
    expect(JSON.stringify(run(() => ({ speed: 0.94, capacity: 0.86 })))).toBe(JSON.stringify(wet));
    const ids = new Set(asked.map(([id]) => id));
    expect(ids).toEqual(new Set(smallNetwork().segments.map((s) => s.id)));
    expect(asked.every(([, t]) => (t - LATE_MORNING - 2_500) % 5_000 === 0)).toBe(true);
    // Times only increase, warm-up first.
    expect(asked.map(([, t]) => t)).toEqual(asked.map(([, t]) => t).sort((a, b) => a - b));
  });

  it('slows only the segments the weather is on', () => {
    const network = smallNetwork();
    const wetSegment = network.segments.find((s) => s.props.detectors.length > 0)!.id;
    const local = run((seg) => (seg.id === wetSegment ? { speed: 0.85, capacity: 0.85 } : { speed: 1, capacity: 1 }));
    const segOf = (d: Detection) => network.detectors.get(d.detectorId)!.segmentId;
    const on = (ds: Detection[], wet: boolean) => ds.filter((d) => (segOf(d) === wetSegment) === wet);
    expect(meanSpeed(on(local, true)) / meanSpeed(on(dry, true))).toBeLessThan(0.88);
    expect(meanSpeed(on(local, false)) / meanSpeed(on(dry, false))).toBeGreaterThan(0.98);
  });

  it('makes a bottleneck where the weather takes capacity away, and the queue grows upstream of it', () => {
    const network = smallNetwork();
    const chain = network.segments.filter((seg) => seg.props.direction === 'northbound');
    const snowy = chain[chain.length - 1].id;
    const peak = Date.parse('2026-03-10T06:00:00Z');
    const sim = (weather?: WeatherInput) =>
      all([...new LoopSimulator({ network, seed: 5, startMs: peak, minutes: 30, ...(weather && { weather }) }).batches()]);
    const upstream = new Set(chain.slice(0, -1).map((seg) => seg.id));
    const slowUpstream = (ds: readonly Detection[]) => ds.filter((d) => upstream.has(network.detectors.get(d.detectorId)!.segmentId) && d.speedKmh < 50).length;
    const dryQueue = slowUpstream(sim());
    const snowQueue = slowUpstream(sim((seg) => (seg.id === snowy ? { speed: 0.8, capacity: 0.2 } : { speed: 1, capacity: 1 })));
    expect(dryQueue).toBe(0);
    expect(snowQueue).toBeGreaterThan(300);
  });
});

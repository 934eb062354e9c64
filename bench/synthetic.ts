import type { Detection } from '@saferoads/shared/contracts';
import type { Network } from '@saferoads/shared/network';
import { tinyNetwork } from '../services/traffic-stats/src/testing/tiny-network.js';

export function benchNetwork(segments: number, lanes: number): Network {
  return tinyNetwork(Array.from({ length: segments }, (_, i) => ({ id: `B${i}`, lanes, speedLimitKmh: 100 + (i % 3) * 10 })));
}

/**
 * A steady synthetic stream: every lane of every segment sees a vehicle every `headwayMs` on
 * average, in event-time order, with realistic speeds and lengths. Deterministic (an LCG), and
 * generated lazily so memory benchmarks measure the stage, not the input.
 */
export function* syntheticDetections(net: Network, startMs: number, minutes: number, headwayMs = 3_000): Generator<Detection> {
  let state = 12345;
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const lanes = net.segments.flatMap((s) => s.props.detectors.map((d) => ({ id: d.detectorId, lane: d.lane, seq: 0 })));
  const stepMs = 1_000;
  const perStep = (lanes.length * stepMs) / headwayMs;
  for (let t = startMs; t < startMs + minutes * 60_000; t += stepMs) {
    const n = Math.round(perStep * (0.8 + 0.4 * rand()));
    const offsets = Array.from({ length: n }, () => Math.floor(rand() * stepMs)).sort((a, b) => a - b);
    for (const off of offsets) {
      const l = lanes[Math.floor(rand() * lanes.length)];
      const truck = rand() < 0.15;
      yield {
        detectorId: l.id,
        lane: l.lane,
        ts: t + off,
        speedKmh: Math.round((truck ? 82 + rand() * 8 : 80 + rand() * 60) * 10) / 10,
        lengthM: truck ? 16.5 : Math.round((3.8 + rand() * 1.6) * 10) / 10,
        seq: l.seq++,
      };
    }
  }
}

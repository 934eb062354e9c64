import { describe, expect, it } from 'vitest';
import { endOf, pointAlong, rampFeature, segmentFeature, testNetwork, type TestSegment } from '../testing/networks.js';
import { rampDistancesM, rampOffsetM } from './ramps.js';

// A chain A -> B -> C of straight 1 km segments heading north; an off-ramp leaves B 300 m in and
// an on-ramp joins C 200 m in.
const A: TestSegment = { id: 'A', from: [11.4, 47.2], headingDeg: 0, lengthM: 1_000 };
const B: TestSegment = { id: 'B', from: endOf(A), headingDeg: 0, lengthM: 1_000 };
const C: TestSegment = { id: 'C', from: endOf(B), headingDeg: 0, lengthM: 1_000 };
const chain = testNetwork([
  segmentFeature(A),
  segmentFeature(B),
  segmentFeature(C),
  rampFeature('B-OFF', 'off', 'B', pointAlong(B, 300)),
  rampFeature('C-ON', 'on', 'C', pointAlong(C, 200)),
]);

describe('rampOffsetM', () => {
  it('an off-ramp meets its segment at its first position, an on-ramp at its last', () => {
    const b = chain.byId.get('B')!;
    const c = chain.byId.get('C')!;
    expect(rampOffsetM(b, b.ramps[0])).toBeCloseTo(300, 3);
    expect(rampOffsetM(c, c.ramps[0])).toBeCloseTo(200, 3);
  });
});

describe('rampDistancesM', () => {
  it('along the carriageway: 0 on the segment, from the segment end downstream, to the segment start upstream', () => {
    const off = rampDistancesM(chain, 'off', 10_000);
    const on = rampDistancesM(chain, 'on', 10_000);
    // Off-ramp 300 m into B: A ends 300 m before it; C starts 700 m after it.
    expect([...off].map((d) => +d.toFixed(3))).toEqual([300, 0, 700]);
    // On-ramp 200 m into C: A ends 1,000 + 200 m before it, B 200 m.
    expect([...on].map((d) => +d.toFixed(3))).toEqual([1_200, 200, 0]);
  });

  it('capped at the search distance, also when there is no ramp at all', () => {
    expect([...rampDistancesM(chain, 'on', 500)].map((d) => +d.toFixed(3))).toEqual([500, 200, 0]);
    const bare = testNetwork([segmentFeature(A), segmentFeature(B)]);
    expect([...rampDistancesM(bare, 'off', 10_000)]).toEqual([10_000, 10_000]);
  });

  it('through a diverge the nearer branch counts; another carriageway never does', () => {
    // A feeds B1 (north) and B2 (north-east); an on-ramp 100 m into B2, 400 m into B1. A
    // southbound segment right next to A has no topology link to either.
    const b1: TestSegment = { id: 'B1', from: endOf(A), headingDeg: 0, lengthM: 800 };
    const b2: TestSegment = { id: 'B2', from: endOf(A), headingDeg: 45, lengthM: 800 };
    const s: TestSegment = { id: 'S', from: endOf(A), headingDeg: 180, lengthM: 1_000, direction: 'southbound' };
    const net = testNetwork([
      segmentFeature(A),
      segmentFeature(b1),
      segmentFeature(b2),
      segmentFeature(s),
      rampFeature('B1-ON', 'on', 'B1', pointAlong(b1, 400)),
      rampFeature('B2-ON', 'on', 'B2', pointAlong(b2, 100)),
    ]);
    expect([...rampDistancesM(net, 'on', 10_000)].map((d) => +d.toFixed(3))).toEqual([100, 0, 0, 10_000]);
  });
});

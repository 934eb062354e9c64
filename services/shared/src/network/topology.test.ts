import { describe, expect, it } from 'vitest';
import { parseNetwork } from './parse.js';
import { deriveTopology, orderedChains } from './topology.js';
import type { Network, Position } from './types.js';

function feature(id: string, direction: string, coordinates: Position[]): Record<string, unknown> {
  return {
    type: 'Feature',
    properties: {
      segmentId: id,
      direction,
      lanes: 1,
      speedLimitKmh: 100,
      timezone: 'Europe/Vienna',
      country: 'AT',
      detectors: [{ detectorId: `${id}-L1`, lane: 1 }],
    },
    geometry: { type: 'LineString', coordinates },
  };
}

const network = (features: unknown[]): Network => parseNetwork({ type: 'FeatureCollection', features });

function links(net: Network): Record<string, [readonly string[], readonly string[]]> {
  return Object.fromEntries(net.segments.map((s) => [s.id, [s.upstream, s.downstream]]));
}

// 0.0004 degrees of longitude at 47 N is about 30 m: the gap between two carriageways.
const EAST = 11.0004;

describe('topology from geometry', () => {
  it('links three segments in a row and, separately, the parallel reverse carriageway', () => {
    const net = network([
      feature('N1', 'northbound', [
        [11, 47],
        [11, 47.005],
      ]),
      feature('S1', 'southbound', [
        [EAST, 47.015],
        [EAST, 47.0075],
      ]),
      feature('N2', 'northbound', [
        [11, 47.005],
        [11, 47.01],
      ]),
      feature('S2', 'southbound', [
        [EAST, 47.0075],
        [EAST, 47],
      ]),
      feature('N3', 'northbound', [
        [11, 47.01],
        [11, 47.012],
        [11, 47.015],
      ]),
    ]);
    expect(links(net)).toEqual({
      N1: [[], ['N2']],
      S1: [[], ['S2']],
      N2: [['N1'], ['N3']],
      S2: [['S1'], []],
      N3: [['N2'], []],
    });
    expect(orderedChains(net).map((chain) => chain.map((s) => s.id))).toEqual([
      ['N1', 'N2', 'N3'],
      ['S1', 'S2'],
    ]);
  });

  it('links ends up to 15 m apart and no further', () => {
    // 0.0001 degrees of latitude is 11.1 m; 0.0002 is 22.2 m
    const net = network([
      feature('A', 'eastbound', [
        [11, 47],
        [11.01, 47],
      ]),
      feature('near', 'eastbound', [
        [11.01, 47.0001],
        [11.02, 47.0001],
      ]),
      feature('far', 'eastbound', [
        [11.01, 46.9998],
        [11.02, 46.9998],
      ]),
    ]);
    expect(net.byId.get('A')?.downstream).toEqual(['near']);
    expect(net.byId.get('far')?.upstream).toEqual([]);
  });

  it('does not link different directions, nor segments that meet head to head', () => {
    const net = network([
      feature('E', 'eastbound', [
        [11, 47],
        [11.01, 47],
      ]),
      feature('W', 'westbound', [
        [11.01, 47],
        [11.02, 47],
      ]),
      feature('E-against', 'eastbound', [
        [11.02, 47.01],
        [11.01, 47],
      ]),
    ]);
    expect(links(net)).toEqual({ E: [[], []], W: [[], []], 'E-against': [[], []] });
  });

  it('lists both branches of a diverge and both feeders of a merge, in file order', () => {
    const net = network([
      feature('in', 'd', [
        [11, 47],
        [11.01, 47],
      ]),
      feature('left', 'd', [
        [11.01, 47],
        [11.02, 47.01],
      ]),
      feature('right', 'd', [
        [11.01, 47],
        [11.02, 46.99],
      ]),
      feature('joined', 'd', [
        [11.02, 47.01],
        [11.03, 47.01],
      ]),
      feature('ramp', 'd', [
        [11.015, 47.02],
        [11.02, 47.01],
      ]),
    ]);
    expect(links(net)).toEqual({
      in: [[], ['left', 'right']],
      left: [['in'], ['joined']],
      right: [['in'], []],
      joined: [['left', 'ramp'], []],
      ramp: [[], ['joined']],
    });
    // chains start where nothing feeds in; a diverge's second branch becomes a chain of its own
    expect(orderedChains(net).map((c) => c.map((s) => s.id))).toEqual([['in', 'left', 'joined'], ['ramp'], ['right']]);
  });

  it('walks a ring road that has no start', () => {
    const net = network([
      feature('r1', 'cw', [
        [11, 47],
        [11.01, 47],
      ]),
      feature('r2', 'cw', [
        [11.01, 47],
        [11.005, 47.007],
      ]),
      feature('r3', 'cw', [
        [11.005, 47.007],
        [11, 47],
      ]),
    ]);
    expect(net.byId.get('r1')?.upstream).toEqual(['r3']);
    expect(orderedChains(net).map((c) => c.map((s) => s.id))).toEqual([['r1', 'r2', 'r3']]);
  });

  it('returns indices from deriveTopology', () => {
    const t = deriveTopology([
      {
        direction: 'x',
        coordinates: [
          [0, 0],
          [0.001, 0],
        ],
      },
      {
        direction: 'x',
        coordinates: [
          [0.001, 0],
          [0.002, 0],
        ],
      },
    ]);
    expect(t).toEqual({ upstream: [[], [0]], downstream: [[1], []] });
    expect(deriveTopology([])).toEqual({ upstream: [], downstream: [] });
  });
});

describe('a national-size network', () => {
  it('loads 40,000 segments with their topology in seconds, not minutes', () => {
    const roads = 200;
    const perRoad = 200;
    const features: unknown[] = [];
    for (let r = 0; r < roads; r++) {
      const lat = 46 + r * 0.01; // roads 1.1 km apart
      for (let s = 0; s < perRoad; s++) {
        features.push(
          feature(`R${r}-${s}`, 'eastbound', [
            [9 + s * 0.01, lat],
            [9 + s * 0.01 + 0.005, lat + 0.0005],
            [9 + (s + 1) * 0.01, lat],
          ]),
        );
      }
    }
    const started = performance.now();
    const net = network(features);
    const elapsedMs = performance.now() - started;

    expect(net.segments.length).toBe(40_000);
    expect(net.detectors.size).toBe(40_000);
    expect(net.segments.filter((s) => s.upstream.length === 0).length).toBe(roads);
    expect(net.segments.filter((s) => s.downstream.length === 0).length).toBe(roads);
    expect(net.segments.every((s) => s.upstream.length <= 1 && s.downstream.length <= 1)).toBe(true);
    expect(net.byId.get('R7-41')?.downstream).toEqual(['R7-42']);
    const chains = orderedChains(net);
    expect(chains.length).toBe(roads);
    expect(chains.every((c) => c.length === perRoad)).toBe(true);
    // O(n^2) endpoint matching would take minutes here; the grid takes about a second
    expect(elapsedMs).toBeLessThan(8000);
  });
});

import { distance } from '@turf/distance';
import type { Network, Position, Segment } from './types.js';

/** Two segment ends closer than this (metres) are the same node of the road graph. */
export const ENDPOINT_TOLERANCE_M = 15;

const M_PER_DEG_LAT = 111_320;

/** What topology needs to know of one segment: its carriageway and its two ends. */
export interface TopologyInput {
  readonly direction: string;
  readonly coordinates: readonly Position[];
}

export interface Topology {
  /** upstream[i]: indices of the segments that feed segment i, ascending. */
  readonly upstream: readonly (readonly number[])[];
  /** downstream[i]: indices of the segments that segment i feeds, ascending. */
  readonly downstream: readonly (readonly number[])[];
}

/**
 * Links segment B downstream of A when B starts within `toleranceM` of where A ends and both carry
 * the same `direction`. Start points go into a grid of cells at least `toleranceM` wide, so each end
 * is compared only with the starts in its own and the eight neighbouring cells: O(n), which keeps a
 * national network of tens of thousands of segments at well under a second.
 */
export function deriveTopology(segments: readonly TopologyInput[], toleranceM = ENDPOINT_TOLERANCE_M): Topology {
  const n = segments.length;
  const upstream: number[][] = Array.from({ length: n }, () => []);
  const downstream: number[][] = Array.from({ length: n }, () => []);
  if (n === 0) return { upstream, downstream };

  // A degree of longitude shrinks towards the poles; sizing lon cells at the network's highest
  // latitude keeps every cell at least toleranceM wide everywhere in it.
  let maxAbsLat = 0;
  for (const s of segments) {
    const last = s.coordinates[s.coordinates.length - 1];
    maxAbsLat = Math.max(maxAbsLat, Math.abs(s.coordinates[0][1]), Math.abs(last[1]));
  }
  const cellLat = toleranceM / M_PER_DEG_LAT;
  const cellLon = toleranceM / (M_PER_DEG_LAT * Math.max(Math.cos((Math.min(maxAbsLat, 89) * Math.PI) / 180), 0.01));
  const cellOf = (p: Position): [number, number] => [Math.floor(p[0] / cellLon), Math.floor(p[1] / cellLat)];

  const starts = new Map<string, number[]>();
  segments.forEach((s, i) => {
    const [cx, cy] = cellOf(s.coordinates[0]);
    const key = `${cx}:${cy}`;
    const bucket = starts.get(key);
    if (bucket) bucket.push(i);
    else starts.set(key, [i]);
  });

  segments.forEach((a, i) => {
    const end = a.coordinates[a.coordinates.length - 1];
    const [cx, cy] = cellOf(end);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const j of starts.get(`${cx + dx}:${cy + dy}`) ?? []) {
          const b = segments[j];
          if (j === i || b.direction !== a.direction) continue;
          if (distance(end, b.coordinates[0], { units: 'meters' }) > toleranceM) continue;
          downstream[i].push(j);
          upstream[j].push(i); // i ascends, so upstream lists come out sorted
        }
      }
    }
    downstream[i].sort((x, y) => x - y);
  });
  return { upstream, downstream };
}

/**
 * Each carriageway's segments in driving order. Chains start at segments with no upstream, in file
 * order; at a diverge the walk follows the first downstream segment (file order) and the other
 * branch becomes a chain of its own. Segments left over (a ring road has no start) start chains
 * too, so every segment appears in exactly one chain.
 */
export function orderedChains(network: Network): Segment[][] {
  const visited = new Uint8Array(network.segments.length);
  const chains: Segment[][] = [];
  const walk = (start: Segment): void => {
    const chain: Segment[] = [];
    let cur: Segment | undefined = start;
    while (cur !== undefined && visited[cur.index] === 0) {
      visited[cur.index] = 1;
      chain.push(cur);
      cur = cur.downstream
        .map((id) => network.byId.get(id))
        .find((s): s is Segment => s !== undefined && visited[s.index] === 0);
    }
    chains.push(chain);
  };
  for (const s of network.segments) if (s.upstream.length === 0 && visited[s.index] === 0) walk(s);
  for (const s of network.segments) if (visited[s.index] === 0) walk(s);
  return chains;
}

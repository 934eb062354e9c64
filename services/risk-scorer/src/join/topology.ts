import type { Network } from '@saferoads/shared/network';

/**
 * The join's view of the network: which segments are scored here, and which segments' records
 * each of them needs (its own and its up- and downstream neighbours').
 */
export interface JoinTopology {
  readonly network: Network;
  /** Network indices of the scored segments, ascending. */
  readonly scored: readonly number[];
  readonly isScored: Uint8Array;
  /** Per network index: its upstream / downstream neighbours' indices (neighbours missing from the network are left out). */
  readonly upstream: readonly (readonly number[])[];
  readonly downstream: readonly (readonly number[])[];
  /** Per network index: 1 when a scored segment needs its records. */
  readonly needed: Uint8Array;
  /** How many segments' records a minute needs. */
  readonly neededCount: number;
  /** Per network index: the scored segments that use its records (itself when scored, and those it neighbours), ascending. */
  readonly usedBy: readonly (readonly number[])[];
}

/** The topology for the scored segments (all of the network's by default). */
export function joinTopology(network: Network, scored?: (segmentId: string) => boolean): JoinTopology {
  const n = network.segments.length;
  const known = (ids: readonly string[]) => ids.map((id) => network.byId.get(id)?.index).filter((i): i is number => i !== undefined);
  const upstream = network.segments.map((s) => known(s.upstream));
  const downstream = network.segments.map((s) => known(s.downstream));
  const isScored = new Uint8Array(n);
  const needed = new Uint8Array(n);
  const usedBy: number[][] = Array.from({ length: n }, () => []);
  const scoredList: number[] = [];
  for (const s of network.segments) {
    if (scored && !scored(s.id)) continue;
    const i = s.index;
    isScored[i] = 1;
    scoredList.push(i);
    for (const j of [i, ...upstream[i], ...downstream[i]]) {
      needed[j] = 1;
      if (!usedBy[j].includes(i)) usedBy[j].push(i);
    }
  }
  for (const list of usedBy) list.sort((a, b) => a - b);
  let neededCount = 0;
  for (let i = 0; i < n; i++) neededCount += needed[i];
  return { network, scored: scoredList, isScored, upstream, downstream, needed, neededCount, usedBy };
}

import { lineString, nearestPointOnLine, point } from '@turf/turf';
import type { Network, Ramp, Segment } from '@saferoads/shared/network';

export type RampKind = 'on' | 'off';

/**
 * Where a ramp meets its segment, as metres from the segment's start: an off-ramp leaves at its
 * first position and an on-ramp joins at its last (docs/network.md), projected onto the segment
 * with turf `nearestPointOnLine`.
 */
export function rampOffsetM(segment: Segment, ramp: Ramp): number {
  const at = ramp.props.kind === 'off' ? ramp.coordinates[0] : ramp.coordinates[ramp.coordinates.length - 1];
  const line = lineString(segment.coordinates.map((c) => [c[0], c[1]]));
  const offset = nearestPointOnLine(line, point([at[0], at[1]]), { units: 'meters' }).properties.lineDistance;
  return Math.min(Math.max(offset, 0), segment.lengthM);
}

/**
 * Distance along the carriageway from each segment to the nearest ramp of `kind`, up- or
 * downstream, following the network's topology: 0 when a ramp of that kind is attached to the
 * segment itself; for a ramp on a downstream segment, the distance from this segment's end to
 * the ramp; for one upstream, from the ramp to this segment's start. Capped at `capM` (also when
 * there is none).
 */
export function rampDistancesM(network: Network, kind: RampKind, capM: number): Float64Array {
  const segs = network.segments;
  const n = segs.length;
  // Nearest attachment to each end of each segment: what a search arriving there needs.
  const fromStart = new Float64Array(n).fill(Infinity);
  const toEnd = new Float64Array(n).fill(Infinity);
  for (const s of segs) {
    for (const r of s.ramps) {
      if (r.props.kind !== kind) continue;
      const off = rampOffsetM(s, r);
      fromStart[s.index] = Math.min(fromStart[s.index], off);
      toEnd[s.index] = Math.min(toEnd[s.index], s.lengthM - off);
    }
  }
  const down = segs.map((s) => s.downstream.map((id) => (network.byId.get(id) as Segment).index));
  const up = segs.map((s) => s.upstream.map((id) => (network.byId.get(id) as Segment).index));

  const out = new Float64Array(n);
  const seen = new Float64Array(n).fill(Infinity);
  const touched: number[] = [];
  const stack: number[] = [];
  for (let i = 0; i < n; i++) {
    let best = Number.isFinite(fromStart[i]) ? 0 : capM;
    // Downstream: `seen[j]` is the distance from segment i's end to segment j's start.
    // A label-correcting walk: a node is expanded again only when reached by a shorter way, so
    // merges, diverges and rings are all fine.
    for (const dir of [down, up] as const) {
      const attach = dir === down ? fromStart : toEnd;
      for (const j of touched) seen[j] = Infinity; // reset only what the last walk touched: O(walk), not O(n)
      touched.length = 0;
      stack.length = 0;
      for (const j of dir[i]) {
        seen[j] = 0;
        touched.push(j);
        stack.push(j);
      }
      while (stack.length > 0) {
        const j = stack.pop() as number;
        const d = seen[j];
        if (d >= best) continue;
        if (attach[j] + d < best) best = attach[j] + d;
        const next = d + segs[j].lengthM;
        if (next >= best) continue;
        for (const k of dir[j]) {
          if (k === i || next >= seen[k]) continue;
          seen[k] = next;
          touched.push(k);
          stack.push(k);
        }
      }
    }
    out[i] = Math.min(best, capM);
  }
  return out;
}

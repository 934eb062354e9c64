import type { Detection, TrafficStats } from '@saferoads/shared/contracts';
import type { Network } from '@saferoads/shared/network';
import type { TrafficStatsConfig } from '../config.js';

const MIN = 60_000;
const floorMin = (t: number) => Math.floor(t / MIN) * MIN;

interface Accepted {
  det: Detection;
  arrival: number;
  inOrder: boolean;
}

/**
 * Independent recomputation of the stage's output from the whole input at once: lateness and
 * in-order status from the arrival sequence's running maximum, then every window by brute force
 * over plain arrays (sorting for gaps and the exact 85th percentile). Shares no code with the stage.
 */
export function bruteForceStats(network: Network, input: readonly Detection[], cfg: TrafficStatsConfig): Map<string, TrafficStats & { p85Exact: number | null }> {
  const detSeg = new Map<string, { seg: string; lane: number }>();
  for (const s of network.segments) for (const d of s.props.detectors) detSeg.set(d.detectorId, { seg: s.id, lane: d.lane });
  const seenSeq = new Set<string>();
  const accepted: Accepted[] = [];
  const lateBy = new Map<string, number>(); // `${seg}|${minute}` -> late events charged to that pane
  let maxTs = Number.NEGATIVE_INFINITY;
  let start = Number.NaN;
  input.forEach((det, arrival) => {
    const where = detSeg.get(det.detectorId);
    if (!where || where.lane !== det.lane) return;
    if (det.seq !== undefined) {
      const k = `${det.detectorId}|${det.seq}`;
      if (seenSeq.has(k)) return;
      seenSeq.add(k);
    }
    const wBefore = maxTs - cfg.outOfOrdernessMs;
    if (Number.isNaN(start)) start = floorMin(det.ts);
    maxTs = Math.max(maxTs, det.ts);
    const wAfter = maxTs - cfg.outOfOrdernessMs;
    const paneEnd = floorMin(det.ts) + MIN;
    const late = det.ts < start || paneEnd + cfg.graceMs <= wBefore;
    if (late) {
      const openFrom = Math.max(start, floorMin(wAfter - cfg.graceMs));
      const k = `${where.seg}|${openFrom}`;
      lateBy.set(k, (lateBy.get(k) ?? 0) + 1);
      return;
    }
    accepted.push({ det, arrival, inOrder: det.ts >= wBefore });
  });

  // Gaps: in-order vehicles per lane in event-time order (arrival breaks ties); late-arriving ones
  // contribute only a gap they carry themselves.
  const gapOf = new Map<Accepted, number>();
  const byLane = new Map<string, Accepted[]>();
  for (const a of accepted) {
    if (!a.inOrder) {
      if (a.det.gapS !== undefined) gapOf.set(a, a.det.gapS);
      continue;
    }
    const list = byLane.get(a.det.detectorId) ?? [];
    list.push(a);
    byLane.set(a.det.detectorId, list);
  }
  for (const list of byLane.values()) {
    list.sort((x, y) => x.det.ts - y.det.ts || x.arrival - y.arrival);
    list.forEach((a, i) => {
      if (a.det.gapS !== undefined) gapOf.set(a, a.det.gapS);
      else if (i > 0) {
        const p = list[i - 1].det;
        gapOf.set(a, Math.max(0, (a.det.ts - p.ts) / 1000 - p.lengthM / (p.speedKmh / 3.6)));
      }
    });
  }

  const out = new Map<string, TrafficStats & { p85Exact: number | null }>();
  if (Number.isNaN(start)) return out;
  const lastEnd = floorMin(maxTs) + MIN;
  for (const seg of network.segments) {
    if (seg.props.detectors.length === 0) continue;
    const mine = accepted.filter((a) => detSeg.get(a.det.detectorId)?.seg === seg.id);
    for (let end = start + MIN; end <= lastEnd; end += MIN) {
      for (const [name, size] of [['1m', MIN], ['10m', 10 * MIN]] as const) {
        const from = end - size;
        if (from < start) continue;
        const inWin = mine.filter((a) => a.det.ts >= from && a.det.ts < end);
        let late = 0;
        for (let m = from; m < end; m += MIN) late += lateBy.get(`${seg.id}|${m}`) ?? 0;
        out.set(`${seg.id}|${name}|${end}`, windowStats(seg.id, name, from, end, inWin, gapOf, seg.props.lanes, seg.props.speedLimitKmh, cfg, late));
      }
    }
  }
  return out;
}

function windowStats(
  segmentId: string,
  window: '1m' | '10m',
  startMs: number,
  endMs: number,
  inWin: Accepted[],
  gapOf: Map<Accepted, number>,
  lanes: number,
  limit: number,
  cfg: TrafficStatsConfig,
  lateCount: number,
): TrafficStats & { p85Exact: number | null } {
  const n = inWin.length;
  const dur = endMs - startMs;
  const speeds = inWin.map((a) => a.det.speedKmh);
  const mean = n ? speeds.reduce((s, x) => s + x, 0) / n : null;
  const std = mean === null ? null : Math.sqrt(speeds.reduce((s, x) => s + (x - mean) ** 2, 0) / n);
  const hm = n ? n / speeds.reduce((s, x) => s + 1 / x, 0) : null;
  const sorted = [...speeds].sort((a, b) => a - b);
  let p85: number | null = null;
  if (n) {
    const k = (n - 1) * 0.85;
    const lo = Math.floor(k);
    const hi = Math.ceil(k);
    p85 = sorted[lo] + (sorted[hi] - sorted[lo]) * (k - lo);
  }
  const gaps = inWin.filter((a) => gapOf.has(a)).map((a) => gapOf.get(a) as number);
  const occ = inWin.reduce((s, a) => s + (a.det.occupancyMs ?? ((a.det.lengthM + cfg.loopLengthM) / (a.det.speedKmh / 3.6)) * 1000), 0);
  const laneMeans: number[] = [];
  for (let l = 1; l <= lanes; l++) {
    const ls = inWin.filter((a) => a.det.lane === l).map((a) => a.det.speedKmh);
    if (ls.length) laneMeans.push(ls.reduce((s, x) => s + x, 0) / ls.length);
  }
  const flow = (n * 3_600_000) / dur;
  return {
    segmentId,
    window,
    windowStartMs: startMs,
    windowEndMs: endMs,
    count: n,
    flowVehH: flow,
    meanSpeedKmh: mean,
    harmonicMeanSpeedKmh: hm,
    speedStdKmh: std,
    speedCv: mean === null || std === null ? null : std / mean,
    p85SpeedKmh: p85,
    p85Exact: p85,
    shareOverLimit: n ? speeds.filter((s) => s > limit).length / n : null,
    meanGapS: gaps.length ? gaps.reduce((s, x) => s + x, 0) / gaps.length : null,
    minGapS: gaps.length ? Math.min(...gaps) : null,
    shareGapUnder1s: gaps.length ? gaps.filter((g) => g < 1).length / gaps.length : null,
    shareGapUnder2s: gaps.length ? gaps.filter((g) => g < 2).length / gaps.length : null,
    occupancy: Math.min(1, occ / (dur * lanes)),
    truckShare: n ? inWin.filter((a) => a.det.lengthM >= cfg.truckMinLengthM).length / n : null,
    laneSpeedSpreadKmh: laneMeans.length ? Math.max(...laneMeans) - Math.min(...laneMeans) : null,
    densityVehKm: hm === null ? 0 : flow / hm,
    lateCount,
  };
}

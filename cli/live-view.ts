import type { AlertEvent, ScoredMinute, SegmentScore } from '@saferoads/risk-scorer';
import type { TrafficStats } from '@saferoads/shared/contracts';
import type { Network } from '@saferoads/shared/network';

const fmt = (x: number | null, digits = 0, width = 6) => (x === null ? '–' : x.toFixed(digits)).padStart(width);

const LEVEL_MARK: Record<string, string> = { low: 'low', elevated: 'ELEVATED', high: 'HIGH', severe: 'SEVERE' };
const factorText = (fs: readonly { name: string; share: number }[]) => fs.map((f) => `${f.name} ${Math.round(f.share * 100)} %`).join(', ');

/**
 * Collects each minute's 1-minute windows and renders one compact table once every segment's
 * record for that minute has arrived: the network at a glance, then the slowest segments. With
 * the risk scorer: each minute's scores (from every partition) as a table of the riskiest
 * segments with level and top factors, and a line per alert event as it happens.
 */
export class LiveView {
  private readonly byEnd = new Map<number, TrafficStats[]>();
  private readonly scoresByEnd = new Map<number, SegmentScore[]>();
  private readonly expected: number;

  constructor(
    private readonly network: Network,
    private readonly print: (text: string) => void,
    private readonly top = 8,
    private readonly timeZone = network.segments[0]?.props.timezone ?? 'UTC',
  ) {
    this.expected = network.segments.filter((s) => s.props.detectors.length > 0).length;
  }

  add(r: TrafficStats): void {
    if (r.window !== '1m') return;
    const list = this.byEnd.get(r.windowEndMs) ?? [];
    list.push(r);
    this.byEnd.set(r.windowEndMs, list);
    if (list.length === this.expected) {
      this.byEnd.delete(r.windowEndMs);
      this.print(this.render(r.windowStartMs, r.windowEndMs, list));
    }
  }

  /** A partition's scored minute: alert lines at once, the risk table when every segment of the minute is in. */
  scored(s: ScoredMinute): void {
    for (const e of s.alerts) this.print(this.alertLine(e));
    const end = s.minute.windowEndMs;
    const list = this.scoresByEnd.get(end) ?? [];
    list.push(...s.scores);
    this.scoresByEnd.set(end, list);
    if (list.length >= this.expected) {
      this.scoresByEnd.delete(end);
      // Older minutes still waiting lost a partition's part (a minute the model failed): show what came.
      for (const [older, rest] of [...this.scoresByEnd].filter(([e]) => e < end)) {
        this.scoresByEnd.delete(older);
        this.print(this.renderRisk(older, rest));
      }
      this.print(this.renderRisk(end, list));
    }
  }

  renderRisk(endMs: number, scores: readonly SegmentScore[]): string {
    const counts = { low: 0, elevated: 0, high: 0, severe: 0 };
    for (const s of scores) counts[s.level]++;
    const version = scores[0]?.modelVersion ?? '';
    const head =
      `  risk ${this.time(endMs - 60_000)}–${this.time(endMs)} (${version}): ${counts.severe} severe, ${counts.high} high, ${counts.elevated} elevated, ${counts.low} low\n` +
      `  ${'segment'.padEnd(12)} ${'risk'.padStart(6)} ${'x base'.padStart(6)} ${'level'.padEnd(8)}  top factors (share of the rise)`;
    const top = [...scores].sort((a, b) => b.relativeRisk - a.relativeRisk || a.segmentId.localeCompare(b.segmentId)).slice(0, this.top);
    const lines = top.map(
      (s) =>
        `  ${s.segmentId.padEnd(12)} ${fmt(s.risk, 3)} ${fmt(s.relativeRisk, 2)} ${LEVEL_MARK[s.level].padEnd(8)}  ${factorText(s.factors) || '–'}` +
        (this.network.byId.get(s.segmentId)?.props.name ? `  (${this.network.byId.get(s.segmentId)!.props.name})` : ''),
    );
    return [head, ...lines].join('\n');
  }

  alertLine(e: AlertEvent): string {
    const what = e.type === 'raised' ? `raised at ${e.level}` : e.type === 'resolved' ? `resolved (was ${e.level})` : `${e.type} ${e.previousLevel} -> ${e.level}`;
    const name = this.network.byId.get(e.segmentId)?.props.name;
    return (
      `! ${this.time(e.windowEndMs)} ALERT ${e.segmentId}${name ? ` (${name})` : ''} ${what}: x${e.relativeRisk.toFixed(2)} base, risk ${e.risk.toFixed(3)}` +
      `${e.factors.length > 0 ? `, ${factorText(e.factors)}` : ''}  [${e.alertId.slice(0, 8)} #${e.seq}]`
    );
  }

  private time(ms: number): string {
    return new Date(ms).toLocaleTimeString('en-GB', { timeZone: this.timeZone, hour: '2-digit', minute: '2-digit' });
  }

  render(startMs: number, endMs: number, rows: readonly TrafficStats[]): string {
    const time = (ms: number) => this.time(ms);
    const vehicles = rows.reduce((n, r) => n + r.count, 0);
    const moving = rows.filter((r) => r.meanSpeedKmh !== null);
    const meanSpeed = vehicles ? rows.reduce((s, r) => s + (r.meanSpeedKmh ?? 0) * r.count, 0) / vehicles : null;
    const slow = moving.filter((r) => (r.meanSpeedKmh as number) < 50).length;
    const late = rows.reduce((n, r) => n + r.lateCount, 0);
    const head =
      `\n${time(startMs)}–${time(endMs)} ${this.timeZone}  ${rows.length} segments  ${vehicles} vehicles  ` +
      `mean ${fmt(meanSpeed, 1, 0)} km/h  ${slow} below 50 km/h  ${late} late\n` +
      `  ${'segment'.padEnd(12)} ${'veh/h'.padStart(6)} ${'km/h'.padStart(6)} ${'sd'.padStart(5)} ${'p85'.padStart(6)} ${'occ%'.padStart(5)} ${'trk%'.padStart(5)} ${'<1s%'.padStart(5)}  name`;
    const worst = [...moving].sort((a, b) => (a.meanSpeedKmh as number) - (b.meanSpeedKmh as number)).slice(0, this.top);
    const lines = worst.map((r) => {
      const name = this.network.byId.get(r.segmentId)?.props.name ?? '';
      return (
        `  ${r.segmentId.padEnd(12)} ${fmt(r.flowVehH)} ${fmt(r.meanSpeedKmh, 1)} ${fmt(r.speedStdKmh, 1, 5)} ${fmt(r.p85SpeedKmh, 1)} ` +
        `${fmt(r.occupancy * 100, 1, 5)} ${fmt(r.truckShare === null ? null : r.truckShare * 100, 0, 5)} ` +
        `${fmt(r.shareGapUnder1s === null ? null : r.shareGapUnder1s * 100, 0, 5)}  ${name}`
      );
    });
    return [head, ...lines].join('\n');
  }
}

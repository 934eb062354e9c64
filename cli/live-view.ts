import type { TrafficStats } from '@saferoads/shared/contracts';
import type { Network } from '@saferoads/shared/network';

const fmt = (x: number | null, digits = 0, width = 6) => (x === null ? '–' : x.toFixed(digits)).padStart(width);

/**
 * Collects each minute's 1-minute windows and renders one compact table once every segment's
 * record for that minute has arrived: the network at a glance, then the slowest segments.
 */
export class LiveView {
  private readonly byEnd = new Map<number, TrafficStats[]>();
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

  render(startMs: number, endMs: number, rows: readonly TrafficStats[]): string {
    const time = (ms: number) => new Date(ms).toLocaleTimeString('en-GB', { timeZone: this.timeZone, hour: '2-digit', minute: '2-digit' });
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

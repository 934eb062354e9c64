import { levelRank } from './levels.js';
import type { AlertStatus, AlertView } from './types.js';

/** Newest first, then most severe (current level), then by id: the order GET /v1/alerts returns. */
export function compareAlerts(a: AlertView, b: AlertView): number {
  return b.raisedAtMs - a.raisedAtMs || levelRank(b.level) - levelRank(a.level) || (a.alertId < b.alertId ? -1 : a.alertId > b.alertId ? 1 : 0);
}

/** When an operator last acted on the alert (0 for never). */
function operatorTime(a: AlertView): number {
  return Math.max(a.acknowledged?.atMs ?? 0, a.resolved?.atMs ?? 0);
}

/**
 * Whether `incoming` is at least as new as `current`. A page load and the stream overlap, so the
 * same alert arrives more than once and not always in order: the scorer's events are counted by
 * lastSeq, an operator's action by its time.
 */
export function isNewer(incoming: AlertView, current: AlertView): boolean {
  if (incoming.lastSeq !== current.lastSeq) return incoming.lastSeq > current.lastSeq;
  return operatorTime(incoming) >= operatorTime(current);
}

/** The alerts the page knows, by id. */
export class AlertBook {
  private readonly byId = new Map<string, AlertView>();

  /** Keeps `alert` unless a newer version is already here; says whether anything changed. */
  upsert(alert: AlertView): boolean {
    const current = this.byId.get(alert.alertId);
    if (current && !isNewer(alert, current)) return false;
    this.byId.set(alert.alertId, alert);
    return true;
  }

  get(alertId: string): AlertView | undefined {
    return this.byId.get(alertId);
  }

  get size(): number {
    return this.byId.size;
  }

  clear(): void {
    this.byId.clear();
  }

  /** The alerts with one of `statuses`, in list order, at most `limit`. */
  list(statuses: ReadonlySet<AlertStatus>, limit = Infinity): AlertView[] {
    const out = [...this.byId.values()].filter((a) => statuses.has(a.status)).sort(compareAlerts);
    return out.length > limit ? out.slice(0, limit) : out;
  }

  /** The open or acknowledged alert of a segment, if any (the scorer keeps one per segment). */
  activeFor(segmentId: string): AlertView | undefined {
    let best: AlertView | undefined;
    for (const a of this.byId.values()) {
      if (a.segmentId === segmentId && a.status !== 'resolved' && (!best || compareAlerts(a, best) < 0)) best = a;
    }
    return best;
  }
}

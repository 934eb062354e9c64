/** Where a (route, event) delivery stands. */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'exhausted';

export interface DeliveryKey {
  readonly routeId: string;
  /** The lifecycle step's eventId, `<alertId>/<seq>`: the same on every replay. */
  readonly eventId: string;
  readonly alertId: string;
}

export interface DeliveryRecord extends DeliveryKey {
  readonly status: DeliveryStatus;
  /** HTTP requests made for it, over every claim. */
  readonly attempts: number;
  readonly lastError: string | null;
  readonly claimedAtMs: number;
  readonly updatedAtMs: number;
  readonly deliveredAtMs: number | null;
}

export interface DeliveryResult {
  /** delivered; failed: refused for good (4xx other than 408 and 429); exhausted: retries ran out. */
  readonly status: 'delivered' | 'failed' | 'exhausted';
  /** Requests made in this claim. */
  readonly attempts: number;
  readonly error?: string;
}

/**
 * Which notifications went out, keyed by (route, eventId), so a replay of risk.alerts or a restart
 * sends nothing twice. A delivery is claimed before its first request and completed after its
 * last: `claim` answers true only when nobody delivered it, nobody refused it for good, and no
 * live claim holds it. Exhausted deliveries (the receiver was down) may be claimed again, and so
 * may a claim older than its lease (the process died while delivering).
 */
export interface NotificationLog {
  claim(key: DeliveryKey, nowMs: number, leaseMs: number): Promise<boolean>;
  complete(key: DeliveryKey, result: DeliveryResult, nowMs: number): Promise<void>;
  get(routeId: string, eventId: string): Promise<DeliveryRecord | null>;
}

function claimable(r: DeliveryRecord | undefined, nowMs: number, leaseMs: number): boolean {
  return r === undefined || r.status === 'exhausted' || (r.status === 'pending' && r.claimedAtMs <= nowMs - leaseMs);
}

/** In one process, for tests and the embedded mode without a database. */
export class MemoryNotificationLog implements NotificationLog {
  private readonly rows = new Map<string, DeliveryRecord>();

  private static id(routeId: string, eventId: string): string {
    return `${routeId}\u0000${eventId}`;
  }

  async claim(key: DeliveryKey, nowMs: number, leaseMs: number): Promise<boolean> {
    const id = MemoryNotificationLog.id(key.routeId, key.eventId);
    const r = this.rows.get(id);
    if (!claimable(r, nowMs, leaseMs)) return false;
    this.rows.set(id, {
      routeId: key.routeId,
      eventId: key.eventId,
      alertId: key.alertId,
      status: 'pending',
      attempts: r?.attempts ?? 0,
      lastError: r?.lastError ?? null,
      claimedAtMs: nowMs,
      updatedAtMs: nowMs,
      deliveredAtMs: null,
    });
    return true;
  }

  async complete(key: DeliveryKey, result: DeliveryResult, nowMs: number): Promise<void> {
    const id = MemoryNotificationLog.id(key.routeId, key.eventId);
    const r = this.rows.get(id);
    if (!r) return;
    this.rows.set(id, {
      ...r,
      status: result.status,
      attempts: r.attempts + result.attempts,
      lastError: result.error ?? null,
      updatedAtMs: nowMs,
      deliveredAtMs: result.status === 'delivered' ? nowMs : null,
    });
  }

  async get(routeId: string, eventId: string): Promise<DeliveryRecord | null> {
    return this.rows.get(MemoryNotificationLog.id(routeId, eventId)) ?? null;
  }
}

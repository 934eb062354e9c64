import type { BusRecord } from '@saferoads/shared/bus';
import { formatFieldErrors, riskThresholdsRecordValidator, THRESHOLDS_KEY } from '@saferoads/shared/contracts';
import { SaferoadsError } from '@saferoads/shared/errors';
import type { Logger } from '@saferoads/shared/logger';
import type { AlertStore } from '../store/store.js';
import { thresholdsRecord } from './record.js';

export interface ThresholdsOutboxOptions {
  readonly store: AlertStore;
  /** Sends one record to risk.thresholds; resolves once the bus has it. */
  readonly send: (record: BusRecord) => Promise<void>;
  /** How far back a record's earlier versions reach (ALERT_API_THRESHOLDS_HORIZON_HOURS). */
  readonly horizonMs: number;
  readonly log: Logger;
  readonly now: () => number;
}

/**
 * Puts the newest thresholds version onto risk.thresholds once the database has it (a
 * transactional outbox: the database is the truth, and a version stored while the bus was away
 * is published by the next flush). Only the newest unpublished version is sent: its record carries
 * the earlier ones. Flushes run one at a time.
 */
export class ThresholdsOutbox {
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: ThresholdsOutboxOptions) {}

  /** Publishes the newest version if it is not on the bus yet; answers its number, or null when there was none. */
  flush(): Promise<number | null> {
    const next = this.turn.then(() => this.publishNewest());
    this.turn = next.catch(() => undefined);
    return next;
  }

  /** Resolves when the flush in hand (if any) is over, whatever its outcome. */
  async idle(): Promise<void> {
    await this.turn;
  }

  private async publishNewest(): Promise<number | null> {
    const { store, log } = this.o;
    const v = await store.unpublishedThresholds();
    if (!v) return null;
    const record = thresholdsRecord(v, await store.thresholdsFrom(v.setAtMs - this.o.horizonMs, v.version), this.o.horizonMs);
    // The API validated what it stored: a record the scorers would refuse is a bug here, not input.
    const check = riskThresholdsRecordValidator.check(record);
    if (!check.ok) throw new SaferoadsError('STATE_INVARIANT', `thresholds version ${v.version} makes no valid record: ${formatFieldErrors(check.errors)}`);
    await this.o.send({ key: THRESHOLDS_KEY, value: JSON.stringify(record), timestamp: v.setAtMs });
    await store.markThresholdsPublished(v.version, this.o.now());
    log.info({ version: v.version, effectiveFromMs: v.effectiveFromMs, earlier: record.earlier.map((e) => e.version) }, `thresholds version ${v.version} published`);
    return v.version;
  }
}

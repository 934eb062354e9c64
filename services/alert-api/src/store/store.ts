import type { RiskAlert, RiskScore, RiskThresholds, TrafficStats, WeatherObservation } from '@saferoads/shared/contracts';
import type { AlertStatus, AlertView, AuditEntry, Role, ScoreSummary } from '../http/schemas.js';

export type RiskLevel = RiskScore['level'];

/** Where a segment is: its bounding box and its middle, from the network. */
export interface SegmentGeo {
  readonly bbox: readonly [minLon: number, minLat: number, maxLon: number, maxLat: number];
  readonly mid: readonly [lon: number, lat: number];
}

/** A position in the alert list's order (newest, most severe, alertId). */
export interface AlertCursor {
  readonly raisedAtMs: number;
  readonly levelRank: number;
  readonly alertId: string;
}

export interface AlertFilter {
  readonly statuses?: readonly AlertStatus[];
  readonly levels?: readonly RiskLevel[];
  /** raisedAtMs in [fromMs, toMs). */
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly bbox?: readonly [number, number, number, number];
  readonly segmentId?: string;
  readonly limit: number;
  readonly after?: AlertCursor;
}

export interface AlertPage {
  readonly alerts: readonly AlertView[];
  readonly next: AlertCursor | null;
}

export type AlertDetail = AlertView & { readonly audit: readonly AuditEntry[] };

/** Who asks: an API key's name or a JWT's subject, with the role it carries. */
export interface Actor {
  readonly subject: string;
  readonly role: Role;
}

export type ActionOutcome =
  | { readonly kind: 'ok'; readonly alert: AlertView }
  | { readonly kind: 'conflict'; readonly alert: AlertView; readonly reason: string }
  | { readonly kind: 'not_found' };

export interface ApiKeyRecord {
  readonly keyId: string;
  readonly keyHash: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAtMs: number;
  readonly createdBy: string;
  readonly revokedAtMs: number | null;
}

/** One version of the thresholds as an admin set it (docs/alert-api.md#thresholds). */
export interface ThresholdsVersion {
  readonly version: number;
  readonly thresholds: RiskThresholds;
  /** Applies to minutes whose window ends at or after it. */
  readonly effectiveFromMs: number;
  readonly setBy: string;
  readonly setByRole: Role;
  readonly setAtMs: number;
  readonly note: string;
  /** When its record went onto risk.thresholds; null until then. */
  readonly publishedAtMs: number | null;
}

export interface ThresholdsChange {
  /** The newest version the admin saw (0: none set yet): the change is refused when another came since. */
  readonly expectedVersion: number;
  readonly thresholds: RiskThresholds;
  readonly effectiveFromMs: number;
  readonly note: string;
}

export type SetThresholdsOutcome =
  | { readonly kind: 'ok'; readonly version: ThresholdsVersion; readonly previous: ThresholdsVersion | null }
  | { readonly kind: 'conflict'; readonly current: ThresholdsVersion | null };

export interface SegmentHistory {
  readonly scores: readonly ScoreSummary[];
  readonly stats: readonly TrafficStats[];
}

/**
 * Everything the alert API keeps (docs/alert-api.md#storage). Every apply is idempotent: applying
 * the same records again changes nothing and reports nothing new, so a replay of the bus after a
 * restart neither duplicates an alert nor undoes an operator's acknowledgement.
 */
export interface AlertStore {
  /** Stores scores (history, and latest where newer); answers the ones not stored before. */
  applyScores(scores: readonly RiskScore[]): Promise<RiskScore[]>;
  /** Stores 1-minute stats in the history (other windows are ignored); answers how many were new. */
  applyStats(stats: readonly TrafficStats[]): Promise<number>;
  /** Keeps each station's newest observation; answers how many replaced an older one. */
  applyWeather(observations: readonly WeatherObservation[]): Promise<number>;
  /**
   * Applies risk.alerts events in order, each once (by eventId); answers how many were applied and
   * the alerts they changed, as they are after the batch. `geo` places an alert's segment when the
   * alert is first seen.
   */
  applyAlertEvents(events: readonly RiskAlert[], geo: (segmentId: string) => SegmentGeo | undefined): Promise<{ applied: number; alerts: AlertView[] }>;

  latestScores(): Promise<Map<string, ScoreSummary>>;
  latestScore(segmentId: string): Promise<ScoreSummary | null>;
  /** The segment's scores and 1-minute stats of the last `minutes` up to its newest minute, oldest first. */
  history(segmentId: string, minutes: number): Promise<SegmentHistory>;
  /** Every station's newest observation. */
  stations(): Promise<WeatherObservation[]>;

  listAlerts(filter: AlertFilter): Promise<AlertPage>;
  getAlert(alertId: string): Promise<AlertDetail | null>;
  /** open → acknowledged; anything else is a conflict. Audited in the same transaction. */
  acknowledge(alertId: string, actor: Actor, note: string | null, atMs: number): Promise<ActionOutcome>;
  /** open or acknowledged → resolved; a resolved alert is a conflict. Audited in the same transaction. */
  resolve(alertId: string, actor: Actor, note: string | null, atMs: number): Promise<ActionOutcome>;

  /** Adds a key (audited as created by `actor`); false when a key with that hash exists already. */
  createKey(key: Omit<ApiKeyRecord, 'revokedAtMs'>, actor: Actor): Promise<boolean>;
  keyByHash(keyHash: string): Promise<ApiKeyRecord | null>;
  listKeys(): Promise<ApiKeyRecord[]>;
  /** Revokes a key (audited); null when there is no such key. */
  revokeKey(keyId: string, actor: Actor, atMs: number): Promise<ApiKeyRecord | null>;

  /** The newest thresholds version, or null when none was set. */
  latestThresholds(): Promise<ThresholdsVersion | null>;
  /** Versions newest first, `limit` of them, below `beforeVersion` when given. */
  thresholdsHistory(limit: number, beforeVersion?: number): Promise<ThresholdsVersion[]>;
  /**
   * Stores version expectedVersion + 1 when the newest is expectedVersion, audited (who, when,
   * note, old and new values) in the same transaction; a conflict when another version came first.
   */
  setThresholds(change: ThresholdsChange, actor: Actor, atMs: number): Promise<SetThresholdsOutcome>;
  /** Versions up to `upToVersion` from the one in force for a minute ending at `fromMs` on (all, when none was), oldest first. */
  thresholdsFrom(fromMs: number, upToVersion: number): Promise<ThresholdsVersion[]>;
  /** The newest version if its record is not on the bus yet, else null. */
  unpublishedThresholds(): Promise<ThresholdsVersion | null>;
  /** Marks `version` and every older unmarked one published (a record carries what it supersedes). */
  markThresholdsPublished(version: number, atMs: number): Promise<void>;

  /** Deletes score and stats history older than `retentionMs` before each table's newest window. */
  prune(retentionMs: number): Promise<{ scores: number; stats: number }>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const LEVEL_RANK: Readonly<Record<RiskLevel, number>> = { low: 0, elevated: 1, high: 2, severe: 3 };

import type { RiskAlert, RiskScore, RiskThresholds, TrafficStats, WeatherObservation } from '@saferoads/shared/contracts';
import type { AlertView, AuditEntry, Role, ScoreSummary } from '../http/schemas.js';
import { migrate } from './migrate.js';
import type { SqlClient, SqlQueryable } from './sql.js';
import {
  LEVEL_RANK,
  type ActionOutcome,
  type Actor,
  type AlertDetail,
  type AlertFilter,
  type AlertPage,
  type AlertStore,
  type ApiKeyRecord,
  type RiskLevel,
  type SegmentGeo,
  type SegmentHistory,
  type SetThresholdsOutcome,
  type ThresholdsChange,
  type ThresholdsVersion,
} from './store.js';

/** The scorer's name in audit trails. */
export const SCORER_ACTOR = { subject: 'risk-scorer', role: 'system' } as const;

const SCORER_ACTION: Readonly<Record<RiskAlert['type'], AuditEntry['action']>> = { raised: 'raised', escalated: 'escalated', deescalated: 'deescalated', resolved: 'cleared' };

interface AlertRow {
  alert_id: string;
  segment_id: string;
  status: AlertView['status'];
  scorer_state: AlertView['scorerState'];
  level: RiskLevel;
  level_rank: number;
  peak_level: RiskLevel;
  raised_at_ms: number;
  updated_at_ms: number;
  cleared_at_ms: number | null;
  last_event: RiskAlert['type'];
  last_seq: number;
  risk: number;
  relative_risk: number;
  factors: AlertView['factors'];
  model_version: string;
  operator_status: 'new' | 'acknowledged' | 'resolved';
  ack_actor: string | null;
  ack_role: Role | null;
  ack_at_ms: number | null;
  ack_note: string | null;
  res_actor: string | null;
  res_role: Role | null;
  res_at_ms: number | null;
  res_note: string | null;
  mid_lon: number | null;
  mid_lat: number | null;
}

const action = (actor: string | null, role: Role | null, atMs: number | null, note: string | null) =>
  actor === null || role === null || atMs === null ? null : { actor, role, atMs, note };

function toView(r: AlertRow): AlertView {
  return {
    alertId: r.alert_id,
    segmentId: r.segment_id,
    status: r.status,
    scorerState: r.scorer_state,
    level: r.level,
    peakLevel: r.peak_level,
    raisedAtMs: r.raised_at_ms,
    updatedAtMs: r.updated_at_ms,
    clearedAtMs: r.cleared_at_ms,
    lastEvent: r.last_event,
    lastSeq: r.last_seq,
    risk: r.risk,
    relativeRisk: r.relative_risk,
    factors: r.factors,
    modelVersion: r.model_version,
    acknowledged: action(r.ack_actor, r.ack_role, r.ack_at_ms, r.ack_note),
    resolved: action(r.res_actor, r.res_role, r.res_at_ms, r.res_note),
    position: r.mid_lon === null || r.mid_lat === null ? null : [r.mid_lon, r.mid_lat],
  };
}

interface ScoreRow {
  segment_id: string;
  window_end_ms: number;
  risk: number;
  relative_risk: number;
  level: RiskLevel;
  factors: ScoreSummary['factors'];
  model_version: string;
}

const toSummary = (r: ScoreRow): ScoreSummary => ({
  windowEndMs: r.window_end_ms,
  risk: r.risk,
  relativeRisk: r.relative_risk,
  level: r.level,
  factors: r.factors,
  modelVersion: r.model_version,
});

interface KeyRow {
  key_id: string;
  key_hash: string;
  name: string;
  role: Role;
  created_at_ms: number;
  created_by: string;
  revoked_at_ms: number | null;
}

const toKey = (r: KeyRow): ApiKeyRecord => ({
  keyId: r.key_id,
  keyHash: r.key_hash,
  name: r.name,
  role: r.role,
  createdAtMs: r.created_at_ms,
  createdBy: r.created_by,
  revokedAtMs: r.revoked_at_ms,
});

interface ThresholdsRow {
  version: number;
  thresholds: RiskThresholds;
  effective_from_ms: number;
  set_by: string;
  set_by_role: Role;
  set_at_ms: number;
  note: string;
  published_at_ms: number | null;
}

const toThresholds = (r: ThresholdsRow): ThresholdsVersion => ({
  version: r.version,
  thresholds: r.thresholds,
  effectiveFromMs: r.effective_from_ms,
  setBy: r.set_by,
  setByRole: r.set_by_role,
  setAtMs: r.set_at_ms,
  note: r.note,
  publishedAtMs: r.published_at_ms,
});

/** What the audit log keeps of a thresholds version: what it sets and from when. */
const auditValue = (v: Pick<ThresholdsVersion, 'version' | 'effectiveFromMs' | 'thresholds'>) => JSON.stringify({ version: v.version, effectiveFromMs: v.effectiveFromMs, thresholds: v.thresholds });

const SCORE_COLUMNS = 'segment_id, window_end_ms, risk, relative_risk, level, factors, model_version';

async function audit(
  q: SqlQueryable,
  e: { atMs: number; actor: string; role: string; action: string; targetType: string; targetId: string; note: string | null; oldValue?: string | null; newValue?: string | null },
): Promise<void> {
  await q.query('INSERT INTO audit_log (at_ms, actor, role, action, target_type, target_id, note, old_value, new_value) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb)', [
    e.atMs,
    e.actor,
    e.role,
    e.action,
    e.targetType,
    e.targetId,
    e.note,
    e.oldValue ?? null,
    e.newValue ?? null,
  ]);
}

/**
 * The AlertStore on PostgreSQL: the same SQL on PGlite (embedded, unit tests) and on a server
 * (deployments, integration tests). Every statement is parameterised.
 */
export class PgAlertStore implements AlertStore {
  private constructor(private readonly db: SqlClient) {}

  /** Runs the migrations, then answers the store. */
  static async open(db: SqlClient): Promise<PgAlertStore> {
    await migrate(db);
    return new PgAlertStore(db);
  }

  get describe(): string {
    return this.db.describe;
  }

  /** Parameterised queries on the same database, for the webhook notifier's delivery log (migration 0002). */
  query(text: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]> {
    return this.db.query(text, params);
  }

  async applyScores(scores: readonly RiskScore[]): Promise<RiskScore[]> {
    if (scores.length === 0) return [];
    const rows = scores.map((s) => ({
      segment_id: s.segmentId,
      window_end_ms: s.windowEndMs,
      risk: s.risk,
      relative_risk: s.relativeRisk,
      level: s.level,
      factors: s.factors,
      model_version: s.modelVersion,
    }));
    const recordset = `jsonb_to_recordset($1::jsonb) AS r(segment_id text, window_end_ms bigint, risk double precision, relative_risk double precision, level text, factors jsonb, model_version text)`;
    return this.db.transaction(async (tx) => {
      const inserted = await tx.query<{ segment_id: string; window_end_ms: number }>(
        `INSERT INTO score_history (${SCORE_COLUMNS}) SELECT DISTINCT ON (segment_id, window_end_ms) ${SCORE_COLUMNS} FROM ${recordset}
         ON CONFLICT (segment_id, window_end_ms) DO NOTHING RETURNING segment_id, window_end_ms`,
        [JSON.stringify(rows)],
      );
      // The newest score per segment of the batch, kept only where it is newer than the stored one.
      await tx.query(
        `INSERT INTO latest_scores (${SCORE_COLUMNS})
         SELECT DISTINCT ON (segment_id) ${SCORE_COLUMNS} FROM ${recordset} ORDER BY segment_id, window_end_ms DESC
         ON CONFLICT (segment_id) DO UPDATE SET window_end_ms = EXCLUDED.window_end_ms, risk = EXCLUDED.risk, relative_risk = EXCLUDED.relative_risk,
           level = EXCLUDED.level, factors = EXCLUDED.factors, model_version = EXCLUDED.model_version
         WHERE latest_scores.window_end_ms < EXCLUDED.window_end_ms`,
        [JSON.stringify(rows)],
      );
      const fresh = new Set(inserted.map((r) => `${r.segment_id}\u0000${r.window_end_ms}`));
      const out: RiskScore[] = [];
      for (const s of scores) {
        const k = `${s.segmentId}\u0000${s.windowEndMs}`;
        // A batch may carry the same score twice: reported once.
        if (fresh.delete(k)) out.push(s);
      }
      return out;
    });
  }

  async applyStats(stats: readonly TrafficStats[]): Promise<number> {
    const rows = stats.filter((s) => s.window === '1m').map((s) => ({ segment_id: s.segmentId, window_end_ms: s.windowEndMs, body: s }));
    if (rows.length === 0) return 0;
    const inserted = await this.db.query(
      `INSERT INTO stats_history (segment_id, window_end_ms, body)
       SELECT DISTINCT ON (segment_id, window_end_ms) segment_id, window_end_ms, body FROM jsonb_to_recordset($1::jsonb) AS r(segment_id text, window_end_ms bigint, body jsonb)
       ON CONFLICT (segment_id, window_end_ms) DO NOTHING RETURNING 1`,
      [JSON.stringify(rows)],
    );
    return inserted.length;
  }

  async applyWeather(observations: readonly WeatherObservation[]): Promise<number> {
    if (observations.length === 0) return 0;
    const rows = observations.map((o) => ({ station_id: o.stationId, ts: o.ts, lat: o.lat, lon: o.lon, body: o }));
    const changed = await this.db.query(
      `INSERT INTO weather_latest (station_id, ts, lat, lon, body)
       SELECT DISTINCT ON (station_id) station_id, ts, lat, lon, body
       FROM jsonb_to_recordset($1::jsonb) AS r(station_id text, ts bigint, lat double precision, lon double precision, body jsonb)
       ORDER BY station_id, ts DESC
       ON CONFLICT (station_id) DO UPDATE SET ts = EXCLUDED.ts, lat = EXCLUDED.lat, lon = EXCLUDED.lon, body = EXCLUDED.body
       WHERE weather_latest.ts < EXCLUDED.ts RETURNING 1`,
      [JSON.stringify(rows)],
    );
    return changed.length;
  }

  async applyAlertEvents(events: readonly RiskAlert[], geo: (segmentId: string) => SegmentGeo | undefined): Promise<{ applied: number; alerts: AlertView[] }> {
    if (events.length === 0) return { applied: 0, alerts: [] };
    const { applied, changed } = await this.db.transaction(async (tx) => {
      const ids = new Set<string>();
      let n = 0;
      for (const e of events) {
        if (await this.applyAlertEvent(tx, e, geo)) {
          ids.add(e.alertId);
          n++;
        }
      }
      return { applied: n, changed: [...ids] };
    });
    if (changed.length === 0) return { applied, alerts: [] };
    const rows = await this.db.query<AlertRow>('SELECT * FROM alerts WHERE alert_id = ANY($1::uuid[])', [changed]);
    const byId = new Map(rows.map((r) => [r.alert_id, toView(r)]));
    return { applied, alerts: changed.map((id) => byId.get(id)).filter((v): v is AlertView => v !== undefined) };
  }

  /** One event, once: true when it changed the alert. */
  private async applyAlertEvent(tx: SqlQueryable, e: RiskAlert, geo: (segmentId: string) => SegmentGeo | undefined): Promise<boolean> {
    const fresh = await tx.query(
      `INSERT INTO alert_events (event_id, alert_id, seq, type, window_end_ms, applied, body) VALUES ($1, $2, $3, $4, $5, false, $6::jsonb)
       ON CONFLICT (event_id) DO NOTHING RETURNING 1`,
      [e.eventId, e.alertId, e.seq, e.type, e.windowEndMs, JSON.stringify(e)],
    );
    if (fresh.length === 0) return false; // seen before: a replay
    const [row] = await tx.query<{ last_seq: number; operator_status: string; peak_rank: number }>(
      'SELECT last_seq, operator_status, peak_rank FROM alerts WHERE alert_id = $1 FOR UPDATE',
      [e.alertId],
    );
    const rank = LEVEL_RANK[e.level];
    const cleared = e.type === 'resolved';
    const scorerAudit = { atMs: e.windowEndMs, actor: SCORER_ACTOR.subject, role: SCORER_ACTOR.role, targetType: 'alert', targetId: e.alertId, note: null };
    if (!row) {
      // Usually `raised`; any later event also creates the alert when its raise was never read
      // (a consumer that started after it), so no alert the scorer knows is missing here.
      const g = geo(e.segmentId);
      await tx.query(
        `INSERT INTO alerts (alert_id, segment_id, level, level_rank, peak_level, peak_rank, raised_at_ms, updated_at_ms, cleared_at_ms, scorer_state,
           last_event, last_seq, risk, relative_risk, factors, model_version, min_lon, min_lat, max_lon, max_lat, mid_lon, mid_lat)
         VALUES ($1, $2, $3, $4, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $15, $16, $17, $18, $19, $20)`,
        [
          e.alertId,
          e.segmentId,
          e.level,
          rank,
          e.raisedAtMs,
          e.windowEndMs,
          cleared ? e.windowEndMs : null,
          cleared ? 'cleared' : 'active',
          e.type,
          e.seq,
          e.risk,
          e.relativeRisk,
          JSON.stringify(e.factors),
          e.modelVersion,
          ...(g ? [...g.bbox, ...g.mid] : [null, null, null, null, null, null]),
        ],
      );
    } else {
      // An event older than what the alert shows (never on one partition, but cheap to refuse).
      if (e.seq <= row.last_seq) return false;
      // An escalation after an operator resolved the alert: the risk rose again, so it needs
      // attention again. Acknowledgements stay as they are (the new level shows on the alert).
      const reopen = e.type === 'escalated' && row.operator_status === 'resolved';
      await tx.query(
        `UPDATE alerts SET level = $2, level_rank = $3, peak_level = CASE WHEN $3 > peak_rank THEN $2 ELSE peak_level END, peak_rank = GREATEST(peak_rank, $3),
           updated_at_ms = $4, last_event = $5, last_seq = $6, risk = $7, relative_risk = $8, factors = $9::jsonb, model_version = $10,
           scorer_state = CASE WHEN $11 THEN 'cleared' ELSE scorer_state END, cleared_at_ms = CASE WHEN $11 THEN $4 ELSE cleared_at_ms END,
           operator_status = CASE WHEN $12 THEN 'new' ELSE operator_status END,
           res_actor = CASE WHEN $12 THEN NULL ELSE res_actor END, res_role = CASE WHEN $12 THEN NULL ELSE res_role END,
           res_at_ms = CASE WHEN $12 THEN NULL ELSE res_at_ms END, res_note = CASE WHEN $12 THEN NULL ELSE res_note END
         WHERE alert_id = $1`,
        [e.alertId, e.level, rank, e.windowEndMs, e.type, e.seq, e.risk, e.relativeRisk, JSON.stringify(e.factors), e.modelVersion, cleared, reopen],
      );
      if (reopen) {
        await audit(tx, { ...scorerAudit, action: SCORER_ACTION[e.type] });
        await audit(tx, { ...scorerAudit, action: 'reopened', note: `escalated to ${e.level} after it was resolved` });
        await tx.query('UPDATE alert_events SET applied = true WHERE event_id = $1', [e.eventId]);
        return true;
      }
    }
    await audit(tx, { ...scorerAudit, action: SCORER_ACTION[e.type] });
    await tx.query('UPDATE alert_events SET applied = true WHERE event_id = $1', [e.eventId]);
    return true;
  }

  async latestScores(): Promise<Map<string, ScoreSummary>> {
    const rows = await this.db.query<ScoreRow>(`SELECT ${SCORE_COLUMNS} FROM latest_scores`);
    return new Map(rows.map((r) => [r.segment_id, toSummary(r)]));
  }

  async latestScore(segmentId: string): Promise<ScoreSummary | null> {
    const [row] = await this.db.query<ScoreRow>(`SELECT ${SCORE_COLUMNS} FROM latest_scores WHERE segment_id = $1`, [segmentId]);
    return row ? toSummary(row) : null;
  }

  async history(segmentId: string, minutes: number): Promise<SegmentHistory> {
    const [{ newest }] = await this.db.query<{ newest: number | null }>(
      `SELECT GREATEST((SELECT max(window_end_ms) FROM score_history WHERE segment_id = $1), (SELECT max(window_end_ms) FROM stats_history WHERE segment_id = $1)) AS newest`,
      [segmentId],
    );
    if (newest === null) return { scores: [], stats: [] };
    const since = newest - minutes * 60_000;
    const scores = await this.db.query<ScoreRow>(`SELECT ${SCORE_COLUMNS} FROM score_history WHERE segment_id = $1 AND window_end_ms > $2 ORDER BY window_end_ms`, [
      segmentId,
      since,
    ]);
    const stats = await this.db.query<{ body: TrafficStats }>('SELECT body FROM stats_history WHERE segment_id = $1 AND window_end_ms > $2 ORDER BY window_end_ms', [segmentId, since]);
    return { scores: scores.map(toSummary), stats: stats.map((r) => r.body) };
  }

  async stations(): Promise<WeatherObservation[]> {
    const rows = await this.db.query<{ body: WeatherObservation }>('SELECT body FROM weather_latest ORDER BY station_id');
    return rows.map((r) => r.body);
  }

  async listAlerts(f: AlertFilter): Promise<AlertPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (f.statuses?.length) where.push(`status = ANY(${p([...f.statuses])}::text[])`);
    if (f.levels?.length) where.push(`level = ANY(${p([...f.levels])}::text[])`);
    if (f.fromMs !== undefined) where.push(`raised_at_ms >= ${p(f.fromMs)}`);
    if (f.toMs !== undefined) where.push(`raised_at_ms < ${p(f.toMs)}`);
    if (f.segmentId !== undefined) where.push(`segment_id = ${p(f.segmentId)}`);
    if (f.bbox) {
      const [minLon, minLat, maxLon, maxLat] = f.bbox;
      where.push(`max_lon >= ${p(minLon)} AND min_lon <= ${p(maxLon)} AND max_lat >= ${p(minLat)} AND min_lat <= ${p(maxLat)}`);
    }
    if (f.after) {
      const a = p(f.after.raisedAtMs);
      const b = p(f.after.levelRank);
      const c = p(f.after.alertId);
      where.push(`(raised_at_ms < ${a} OR (raised_at_ms = ${a} AND (level_rank < ${b} OR (level_rank = ${b} AND alert_id > ${c}::uuid))))`);
    }
    const sql = `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY raised_at_ms DESC, level_rank DESC, alert_id LIMIT ${p(f.limit + 1)}`;
    const rows = await this.db.query<AlertRow>(sql, params);
    const page = rows.slice(0, f.limit);
    const last = page[page.length - 1];
    return {
      alerts: page.map(toView),
      next: rows.length > f.limit && last ? { raisedAtMs: last.raised_at_ms, levelRank: last.level_rank, alertId: last.alert_id } : null,
    };
  }

  async getAlert(alertId: string): Promise<AlertDetail | null> {
    const [row] = await this.db.query<AlertRow>('SELECT * FROM alerts WHERE alert_id = $1', [alertId]);
    if (!row) return null;
    const trail = await this.db.query<{ action: AuditEntry['action']; actor: string; role: string; at_ms: number; note: string | null }>(
      `SELECT action, actor, role, at_ms, note FROM audit_log WHERE target_type = 'alert' AND target_id = $1 ORDER BY id`,
      [alertId],
    );
    return { ...toView(row), audit: trail.map((t) => ({ action: t.action, actor: t.actor, role: t.role, atMs: t.at_ms, note: t.note })) };
  }

  acknowledge(alertId: string, actor: Actor, note: string | null, atMs: number): Promise<ActionOutcome> {
    return this.operatorAction(alertId, actor, note, atMs, {
      action: 'acknowledged',
      set: `operator_status = 'acknowledged', ack_actor = $2, ack_role = $3, ack_at_ms = $4, ack_note = $5`,
      allowed: `status = 'open'`,
      refusal: (a) => `alert ${a.alertId} is ${a.status}: only an open alert can be acknowledged`,
    });
  }

  resolve(alertId: string, actor: Actor, note: string | null, atMs: number): Promise<ActionOutcome> {
    return this.operatorAction(alertId, actor, note, atMs, {
      action: 'resolved',
      set: `operator_status = 'resolved', res_actor = $2, res_role = $3, res_at_ms = $4, res_note = $5`,
      allowed: `status <> 'resolved'`,
      refusal: (a) => `alert ${a.alertId} is already resolved${a.resolved ? ` (by ${a.resolved.actor})` : ' (the risk stayed low: the scorer cleared it)'}`,
    });
  }

  private operatorAction(
    alertId: string,
    actor: Actor,
    note: string | null,
    atMs: number,
    how: { action: AuditEntry['action']; set: string; allowed: string; refusal: (a: AlertView) => string },
  ): Promise<ActionOutcome> {
    return this.db.transaction(async (tx) => {
      // The condition and the change in one statement: two operators at once cannot both succeed.
      const [row] = await tx.query<AlertRow>(`UPDATE alerts SET ${how.set} WHERE alert_id = $1 AND ${how.allowed} RETURNING *`, [alertId, actor.subject, actor.role, atMs, note]);
      if (row) {
        await audit(tx, { atMs, actor: actor.subject, role: actor.role, action: how.action, targetType: 'alert', targetId: alertId, note });
        return { kind: 'ok', alert: toView(row) };
      }
      const [current] = await tx.query<AlertRow>('SELECT * FROM alerts WHERE alert_id = $1', [alertId]);
      if (!current) return { kind: 'not_found' };
      const view = toView(current);
      return { kind: 'conflict', alert: view, reason: how.refusal(view) };
    });
  }

  async createKey(key: Omit<ApiKeyRecord, 'revokedAtMs'>, actor: Actor): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(
        `INSERT INTO api_keys (key_id, key_hash, name, role, created_at_ms, created_by) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING 1`,
        [key.keyId, key.keyHash, key.name, key.role, key.createdAtMs, key.createdBy],
      );
      if (rows.length === 0) return false;
      await audit(tx, { atMs: key.createdAtMs, actor: actor.subject, role: actor.role, action: 'key_created', targetType: 'api_key', targetId: key.keyId, note: `${key.name} (${key.role})` });
      return true;
    });
  }

  async keyByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    const [row] = await this.db.query<KeyRow>('SELECT * FROM api_keys WHERE key_hash = $1', [keyHash]);
    return row ? toKey(row) : null;
  }

  async listKeys(): Promise<ApiKeyRecord[]> {
    return (await this.db.query<KeyRow>('SELECT * FROM api_keys ORDER BY created_at_ms, name, key_id')).map(toKey);
  }

  async revokeKey(keyId: string, actor: Actor, atMs: number): Promise<ApiKeyRecord | null> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<KeyRow>('UPDATE api_keys SET revoked_at_ms = COALESCE(revoked_at_ms, $2) WHERE key_id = $1 RETURNING *', [keyId, atMs]);
      if (!row) return null;
      await audit(tx, { atMs, actor: actor.subject, role: actor.role, action: 'key_revoked', targetType: 'api_key', targetId: keyId, note: null });
      return toKey(row);
    });
  }

  async latestThresholds(): Promise<ThresholdsVersion | null> {
    const [row] = await this.db.query<ThresholdsRow>('SELECT * FROM thresholds_versions ORDER BY version DESC LIMIT 1');
    return row ? toThresholds(row) : null;
  }

  async thresholdsHistory(limit: number, beforeVersion?: number): Promise<ThresholdsVersion[]> {
    const rows = await this.db.query<ThresholdsRow>('SELECT * FROM thresholds_versions WHERE ($2::integer IS NULL OR version < $2) ORDER BY version DESC LIMIT $1', [limit, beforeVersion ?? null]);
    return rows.map(toThresholds);
  }

  setThresholds(change: ThresholdsChange, actor: Actor, atMs: number): Promise<SetThresholdsOutcome> {
    return this.db.transaction(async (tx) => {
      const [latest] = await tx.query<ThresholdsRow>('SELECT * FROM thresholds_versions ORDER BY version DESC LIMIT 1');
      const current = latest ? toThresholds(latest) : null;
      if ((current?.version ?? 0) !== change.expectedVersion) return { kind: 'conflict', current };
      // Two admins with the same expected version: the primary key lets one insert through, the other gets nothing back.
      const [row] = await tx.query<ThresholdsRow>(
        `INSERT INTO thresholds_versions (version, thresholds, effective_from_ms, set_by, set_by_role, set_at_ms, note) VALUES ($1, $2::jsonb, $3, $4, $5, $6, $7)
         ON CONFLICT (version) DO NOTHING RETURNING *`,
        [change.expectedVersion + 1, JSON.stringify(change.thresholds), change.effectiveFromMs, actor.subject, actor.role, atMs, change.note],
      );
      if (!row) {
        const [now] = await tx.query<ThresholdsRow>('SELECT * FROM thresholds_versions ORDER BY version DESC LIMIT 1');
        return { kind: 'conflict', current: now ? toThresholds(now) : null };
      }
      const version = toThresholds(row);
      await audit(tx, {
        atMs,
        actor: actor.subject,
        role: actor.role,
        action: 'thresholds_set',
        targetType: 'thresholds',
        targetId: String(version.version),
        note: change.note,
        oldValue: current ? auditValue(current) : null,
        newValue: auditValue(version),
      });
      return { kind: 'ok', version, previous: current };
    });
  }

  async thresholdsFrom(fromMs: number, upToVersion: number): Promise<ThresholdsVersion[]> {
    const rows = await this.db.query<ThresholdsRow>(
      `SELECT * FROM thresholds_versions WHERE version <= $2
         AND version >= COALESCE((SELECT max(version) FROM thresholds_versions WHERE version <= $2 AND effective_from_ms <= $1), 1)
       ORDER BY version`,
      [fromMs, upToVersion],
    );
    return rows.map(toThresholds);
  }

  async unpublishedThresholds(): Promise<ThresholdsVersion | null> {
    const [row] = await this.db.query<ThresholdsRow>('SELECT * FROM thresholds_versions WHERE published_at_ms IS NULL ORDER BY version DESC LIMIT 1');
    return row ? toThresholds(row) : null;
  }

  async markThresholdsPublished(version: number, atMs: number): Promise<void> {
    await this.db.query('UPDATE thresholds_versions SET published_at_ms = $2 WHERE version <= $1 AND published_at_ms IS NULL', [version, atMs]);
  }

  async prune(retentionMs: number): Promise<{ scores: number; stats: number }> {
    const scores = await this.db.query('DELETE FROM score_history WHERE window_end_ms <= (SELECT max(window_end_ms) FROM score_history) - $1 RETURNING 1', [retentionMs]);
    const stats = await this.db.query('DELETE FROM stats_history WHERE window_end_ms <= (SELECT max(window_end_ms) FROM stats_history) - $1 RETURNING 1', [retentionMs]);
    return { scores: scores.length, stats: stats.length };
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALERT_A, ALERT_B, ALERT_C, MIN, T0, alertEvent, score, stats, thresholds, weather } from '../testing/fixtures.js';
import type { SqlQueryable } from './sql.js';
import type { AlertStore, SegmentGeo, ThresholdsChange } from './store.js';

const GEO: Record<string, SegmentGeo> = {
  'S-1': { bbox: [11.0, 47.0, 11.1, 47.1], mid: [11.05, 47.05] },
  'S-2': { bbox: [11.5, 47.5, 11.6, 47.6], mid: [11.55, 47.55] },
};
const geo = (id: string) => GEO[id];
const operator = { subject: 'olga', role: 'operator' } as const;
const admin = { subject: 'ada', role: 'admin' } as const;

/**
 * The store's behaviour, run against every database the store runs on: PGlite in the unit tests
 * (pg-store.test.ts), a real PostgreSQL server in the integration tests (pg-store.int.test.ts).
 * `open` gives a store on a migrated database, `reset` empties it before each test, and `db`
 * reads its rows (the audit log) directly.
 */
export function storeSuite(name: string, open: () => Promise<{ store: AlertStore; reset: () => Promise<void>; db: SqlQueryable }>): void {
  describe(`AlertStore on ${name}`, () => {
    let store: AlertStore;
    let reset: () => Promise<void>;
    let db: SqlQueryable;
    beforeAll(async () => {
      ({ store, reset, db } = await open());
    });
    beforeEach(() => reset());
    afterAll(async () => {
      await store.close();
    });

    it('keeps each segment\u2019s latest score and its history, and reports only new scores', async () => {
      const first = await store.applyScores([score('S-1', 0), score('S-1', 1), score('S-2', 0)]);
      expect(first.map((s) => [s.segmentId, s.windowEndMs])).toEqual([
        ['S-1', T0],
        ['S-1', T0 + MIN],
        ['S-2', T0],
      ]);
      // A replay, plus an older minute arriving late and a duplicate within the batch.
      const again = await store.applyScores([score('S-1', 1), score('S-2', 0), score('S-2', -1), score('S-2', -1)]);
      expect(again.map((s) => [s.segmentId, s.windowEndMs])).toEqual([['S-2', T0 - MIN]]);
      const latest = await store.latestScores();
      expect([...latest.keys()].sort()).toEqual(['S-1', 'S-2']);
      expect(latest.get('S-1')).toEqual({ windowEndMs: T0 + MIN, risk: 0.002, relativeRisk: 4, level: 'elevated', factors: score('S-1', 1).factors, modelVersion: 'risk-test' });
      // The late older minute did not replace the newer latest score.
      expect((await store.latestScore('S-2'))?.windowEndMs).toBe(T0);
      expect(await store.latestScore('S-9')).toBeNull();
    });

    it('answers a segment\u2019s history of the last minutes up to its newest, oldest first, 1-minute stats only', async () => {
      await store.applyScores([0, 1, 2, 3, 4].map((m) => score('S-1', m)));
      expect(await store.applyStats([0, 1, 2, 3, 4].map((m) => stats('S-1', m)).concat([stats('S-1', 4, '10m')]))).toBe(5);
      expect(await store.applyStats([stats('S-1', 4)])).toBe(0);
      const h = await store.history('S-1', 3);
      expect(h.scores.map((s) => s.windowEndMs)).toEqual([T0 + 2 * MIN, T0 + 3 * MIN, T0 + 4 * MIN]);
      expect(h.stats).toEqual([stats('S-1', 2), stats('S-1', 3), stats('S-1', 4)]);
      expect(await store.history('S-2', 60)).toEqual({ scores: [], stats: [] });
    });

    it('prunes history older than the retention before each table\u2019s newest window', async () => {
      await store.applyScores([0, 1, 2, 3].map((m) => score('S-1', m)).concat([score('S-2', 1)]));
      await store.applyStats([0, 1, 2].map((m) => stats('S-1', m)));
      expect(await store.prune(2 * MIN)).toEqual({ scores: 3, stats: 1 });
      expect((await store.history('S-1', 60)).scores.map((s) => s.windowEndMs)).toEqual([T0 + 2 * MIN, T0 + 3 * MIN]);
      expect((await store.history('S-1', 60)).stats.map((s) => s.windowEndMs)).toEqual([T0 + MIN, T0 + 2 * MIN]);
      // The latest score is not history: it stays.
      expect((await store.latestScore('S-2'))?.windowEndMs).toBe(T0 + MIN);
    });

    it('keeps each weather station\u2019s newest observation', async () => {
      expect(await store.applyWeather([weather('W-1', 11, 47, T0), weather('W-2', 12, 48, T0), weather('W-1', 11, 47, T0 + MIN, { precipitationMmH: 4 })])).toBe(2);
      expect(await store.applyWeather([weather('W-1', 11, 47, T0)])).toBe(0);
      expect(await store.stations()).toEqual([weather('W-1', 11, 47, T0 + MIN, { precipitationMmH: 4 }), weather('W-2', 12, 48, T0)]);
    });

    it('applies alert events once each: a replay changes nothing and reports nothing', async () => {
      const life = [alertEvent(ALERT_A, 'S-1', 0, 'raised', 'high'), alertEvent(ALERT_A, 'S-1', 1, 'escalated', 'severe')];
      const changed = await store.applyAlertEvents(life, geo);
      expect([changed.applied, changed.alerts.map((a) => [a.alertId, a.level, a.lastSeq])]).toEqual([2, [[ALERT_A, 'severe', 1]]]);
      expect(await store.applyAlertEvents(life, geo)).toEqual({ applied: 0, alerts: [] });
      const a = await store.getAlert(ALERT_A);
      expect(a).toEqual({
        alertId: ALERT_A,
        segmentId: 'S-1',
        status: 'open',
        scorerState: 'active',
        level: 'severe',
        peakLevel: 'severe',
        raisedAtMs: T0 + 3 * MIN,
        updatedAtMs: T0 + 4 * MIN,
        clearedAtMs: null,
        lastEvent: 'escalated',
        lastSeq: 1,
        risk: 0.011,
        relativeRisk: 5,
        factors: [{ name: 'precipitation', share: 1 }],
        modelVersion: 'risk-test',
        acknowledged: null,
        resolved: null,
        position: [11.05, 47.05],
        audit: [
          { action: 'raised', actor: 'risk-scorer', role: 'system', atMs: T0 + 3 * MIN, note: null },
          { action: 'escalated', actor: 'risk-scorer', role: 'system', atMs: T0 + 4 * MIN, note: null },
        ],
      });
    });

    it('keeps an acknowledgement through a replay of the whole life and through an escalation', async () => {
      await store.applyAlertEvents([alertEvent(ALERT_A, 'S-1', 0, 'raised', 'high')], geo);
      const ack = await store.acknowledge(ALERT_A, operator, 'crew on the way', T0 + 10 * MIN);
      expect(ack.kind).toBe('ok');
      // A restart replays the topic from the start: the raise again, then the escalation that followed.
      await store.applyAlertEvents([alertEvent(ALERT_A, 'S-1', 0, 'raised', 'high'), alertEvent(ALERT_A, 'S-1', 1, 'escalated', 'severe')], geo);
      const a = await store.getAlert(ALERT_A);
      expect(a?.status).toBe('acknowledged');
      expect(a?.level).toBe('severe');
      expect(a?.acknowledged).toEqual({ actor: 'olga', role: 'operator', atMs: T0 + 10 * MIN, note: 'crew on the way' });
      expect(a?.audit.map((e) => [e.action, e.actor])).toEqual([
        ['raised', 'risk-scorer'],
        ['acknowledged', 'olga'],
        ['escalated', 'risk-scorer'],
      ]);
    });

    it('refuses transitions that are not allowed, with the alert as it is', async () => {
      await store.applyAlertEvents([alertEvent(ALERT_A, 'S-1', 0, 'raised', 'high')], geo);
      expect((await store.acknowledge(ALERT_A, operator, null, T0)).kind).toBe('ok');
      const twice = await store.acknowledge(ALERT_A, operator, null, T0);
      expect(twice).toMatchObject({ kind: 'conflict', reason: `alert ${ALERT_A} is acknowledged: only an open alert can be acknowledged` });
      expect((await store.resolve(ALERT_A, operator, 'cleared the lane', T0 + MIN)).kind).toBe('ok');
      expect(await store.resolve(ALERT_A, operator, null, T0 + 2 * MIN)).toMatchObject({ kind: 'conflict', reason: `alert ${ALERT_A} is already resolved (by olga)` });
      expect(await store.acknowledge(ALERT_A, operator, null, T0)).toMatchObject({ kind: 'conflict' });
      expect(await store.acknowledge(ALERT_B, operator, null, T0)).toEqual({ kind: 'not_found' });
      const a = await store.getAlert(ALERT_A);
      expect(a?.resolved).toEqual({ actor: 'olga', role: 'operator', atMs: T0 + MIN, note: 'cleared the lane' });
      expect(a?.audit.map((e) => e.action)).toEqual(['raised', 'acknowledged', 'resolved']);
    });

    it('resolves an alert the scorer cleared, keeps the operator\u2019s acknowledgement, and refuses to resolve it again', async () => {
      await store.applyAlertEvents([alertEvent(ALERT_A, 'S-1', 0, 'raised', 'high')], geo);
      await store.acknowledge(ALERT_A, operator, null, T0);
      await store.applyAlertEvents([alertEvent(ALERT_A, 'S-1', 1, 'resolved', 'high')], geo);
      const a = await store.getAlert(ALERT_A);
      expect([a?.status, a?.scorerState, a?.clearedAtMs, a?.acknowledged?.actor]).toEqual(['resolved', 'cleared', T0 + 4 * MIN, 'olga']);
      expect(await store.resolve(ALERT_A, operator, null, T0)).toMatchObject({ kind: 'conflict', reason: `alert ${ALERT_A} is already resolved (the risk stayed low: the scorer cleared it)` });
    });

    it('reopens an alert an operator resolved when the scorer escalates it, not when it de-escalates', async () => {
      await store.applyAlertEvents([alertEvent(ALERT_A, 'S-1', 0, 'raised', 'high')], geo);
      await store.resolve(ALERT_A, operator, 'false alarm', T0);
      await store.applyAlertEvents([alertEvent(ALERT_A, 'S-1', 1, 'deescalated', 'elevated')], geo);
      expect((await store.getAlert(ALERT_A))?.status).toBe('resolved');
      await store.applyAlertEvents([alertEvent(ALERT_A, 'S-1', 2, 'escalated', 'severe')], geo);
      const a = await store.getAlert(ALERT_A);
      expect([a?.status, a?.level, a?.peakLevel, a?.resolved]).toEqual(['open', 'severe', 'severe', null]);
      expect(a?.audit.map((e) => [e.action, e.note])).toEqual([
        ['raised', null],
        ['resolved', 'false alarm'],
        ['deescalated', null],
        ['escalated', null],
        ['reopened', 'escalated to severe after it was resolved'],
      ]);
    });

    it('creates an alert from a later event when its raise was never read, and ignores an older event', async () => {
      await store.applyAlertEvents([alertEvent(ALERT_C, 'S-9', 2, 'escalated', 'severe')], geo);
      expect(await store.applyAlertEvents([alertEvent(ALERT_C, 'S-9', 1, 'deescalated', 'elevated')], geo)).toEqual({ applied: 0, alerts: [] });
      const c = await store.getAlert(ALERT_C);
      expect([c?.level, c?.lastSeq, c?.position, c?.raisedAtMs]).toEqual(['severe', 2, null, T0 + 3 * MIN]);
    });

    it('lists alerts newest first, then most severe, with every filter and a cursor', async () => {
      await store.applyAlertEvents(
        [
          alertEvent(ALERT_A, 'S-1', 0, 'raised', 'high', { raisedAtMs: T0, windowEndMs: T0 }),
          alertEvent(ALERT_B, 'S-2', 0, 'raised', 'severe', { raisedAtMs: T0, windowEndMs: T0 }),
          alertEvent(ALERT_C, 'S-1', 0, 'raised', 'high', { raisedAtMs: T0 + MIN, windowEndMs: T0 + MIN }),
        ],
        geo,
      );
      await store.acknowledge(ALERT_C, operator, null, T0);
      const ids = async (f: Partial<Parameters<AlertStore['listAlerts']>[0]>) => (await store.listAlerts({ limit: 100, ...f })).alerts.map((a) => a.alertId);
      expect(await ids({})).toEqual([ALERT_C, ALERT_B, ALERT_A]);
      expect(await ids({ statuses: ['open'] })).toEqual([ALERT_B, ALERT_A]);
      expect(await ids({ statuses: ['open', 'acknowledged'], levels: ['high'] })).toEqual([ALERT_C, ALERT_A]);
      expect(await ids({ fromMs: T0 + MIN })).toEqual([ALERT_C]);
      expect(await ids({ toMs: T0 + MIN })).toEqual([ALERT_B, ALERT_A]);
      expect(await ids({ bbox: [11.55, 47.55, 12, 48] })).toEqual([ALERT_B]);
      expect(await ids({ bbox: [0, 0, 1, 1] })).toEqual([]);
      expect(await ids({ segmentId: 'S-1' })).toEqual([ALERT_C, ALERT_A]);
      const first = await store.listAlerts({ limit: 2 });
      expect(first.alerts.map((a) => a.alertId)).toEqual([ALERT_C, ALERT_B]);
      expect(first.next).toEqual({ raisedAtMs: T0, levelRank: 3, alertId: ALERT_B });
      const second = await store.listAlerts({ limit: 2, after: first.next ?? undefined });
      expect([second.alerts.map((a) => a.alertId), second.next]).toEqual([[ALERT_A], null]);
    });

    it('keeps API keys by hash, audits their creation and revocation', async () => {
      const key = { keyId: 'k1', keyHash: 'h'.repeat(64), name: 'wall screen', role: 'viewer' as const, createdAtMs: T0, createdBy: 'ada' };
      expect(await store.createKey(key, admin)).toBe(true);
      expect(await store.createKey({ ...key, keyId: 'k2' }, admin)).toBe(false);
      expect(await store.keyByHash('h'.repeat(64))).toEqual({ ...key, revokedAtMs: null });
      expect(await store.revokeKey('k1', admin, T0 + MIN)).toEqual({ ...key, revokedAtMs: T0 + MIN });
      expect(await store.revokeKey('nope', admin, T0)).toBeNull();
      expect(await store.listKeys()).toEqual([{ ...key, revokedAtMs: T0 + MIN }]);
    });

    it('takes hostile text as data: quotes and SQL in every string arrive as they were sent', async () => {
      const evil = "S-1'; DROP TABLE alerts;--";
      await store.applyScores([score(evil, 0)]);
      await store.applyAlertEvents([alertEvent(ALERT_A, evil, 0, 'raised', 'high')], geo);
      await store.acknowledge(ALERT_A, { subject: "o'brien", role: 'operator' }, "'); DELETE FROM audit_log;--", T0);
      expect((await store.latestScores()).has(evil)).toBe(true);
      const a = await store.getAlert(ALERT_A);
      expect([a?.segmentId, a?.acknowledged?.actor, a?.acknowledged?.note]).toEqual([evil, "o'brien", "'); DELETE FROM audit_log;--"]);
      expect(a?.audit).toHaveLength(2);
      expect(await store.listAlerts({ limit: 10, segmentId: evil })).toMatchObject({ alerts: [{ alertId: ALERT_A }] });
    });

    const change = (expectedVersion: number, minute: number, elevated: number, note = `v${expectedVersion + 1}`): ThresholdsChange => ({
      expectedVersion,
      thresholds: thresholds(elevated),
      effectiveFromMs: T0 + minute * MIN,
      note,
    });

    it('keeps every thresholds version, each from the one its admin saw: a stale expected version is a conflict with the newest', async () => {
      expect([await store.latestThresholds(), await store.thresholdsHistory(10)]).toEqual([null, []]);
      const v1 = { version: 1, thresholds: thresholds(2), effectiveFromMs: T0, setBy: 'ada', setByRole: 'admin', setAtMs: T0 - MIN, note: 'v1', publishedAtMs: null };
      expect(await store.setThresholds(change(0, 0, 2), admin, T0 - MIN)).toEqual({ kind: 'ok', version: v1, previous: null });
      expect(await store.setThresholds(change(0, 5, 3), admin, T0)).toEqual({ kind: 'conflict', current: v1 });
      const v2 = { ...v1, version: 2, thresholds: thresholds(1.5), effectiveFromMs: T0 + 5 * MIN, setAtMs: T0, note: 'winter' };
      expect(await store.setThresholds(change(1, 5, 1.5, 'winter'), admin, T0)).toEqual({ kind: 'ok', version: v2, previous: v1 });
      expect(await store.setThresholds(change(3, 5, 1.5), admin, T0)).toEqual({ kind: 'conflict', current: v2 });
      expect(await store.latestThresholds()).toEqual(v2);
      expect(await store.thresholdsHistory(10)).toEqual([v2, v1]);
      expect(await store.thresholdsHistory(1, 2)).toEqual([v1]);
    });

    it('audits each version with who, when, the note and the values before and after', async () => {
      await store.setThresholds(change(0, 0, 2), admin, T0);
      await store.setThresholds(change(1, 10, 1.5, 'winter tuning'), admin, T0 + MIN);
      const value = (version: number, minute: number, elevated: number) => ({ version, effectiveFromMs: T0 + minute * MIN, thresholds: thresholds(elevated) });
      expect(await db.query("SELECT at_ms, actor, role, action, target_type, target_id, note, old_value, new_value FROM audit_log WHERE target_type = 'thresholds' ORDER BY id")).toEqual([
        { at_ms: T0, actor: 'ada', role: 'admin', action: 'thresholds_set', target_type: 'thresholds', target_id: '1', note: 'v1', old_value: null, new_value: value(1, 0, 2) },
        { at_ms: T0 + MIN, actor: 'ada', role: 'admin', action: 'thresholds_set', target_type: 'thresholds', target_id: '2', note: 'winter tuning', old_value: value(1, 0, 2), new_value: value(2, 10, 1.5) },
      ]);
    });

    it('lets one of two admins with the same expected version through, at the same time', async () => {
      const [a, b] = await Promise.all([store.setThresholds(change(0, 0, 2, 'a'), admin, T0), store.setThresholds(change(0, 0, 3, 'b'), { subject: 'bea', role: 'admin' }, T0)]);
      expect([a.kind, b.kind].sort()).toEqual(['conflict', 'ok']);
      expect((await store.thresholdsHistory(10)).map((v) => v.version)).toEqual([1]);
      expect(await db.query("SELECT count(*)::int AS n FROM audit_log WHERE target_type = 'thresholds'")).toEqual([{ n: 1 }]);
    });

    it('answers the newest version until it is marked published, and the versions a record from a time on needs', async () => {
      // v2 scheduled for minute 10, then v3 for minute 5 (it overrides v2).
      await store.setThresholds(change(0, 0, 2), admin, T0);
      await store.setThresholds(change(1, 10, 1.8), admin, T0 + MIN);
      expect((await store.unpublishedThresholds())?.version).toBe(2);
      await store.markThresholdsPublished(2, T0 + 2 * MIN);
      expect(await store.unpublishedThresholds()).toBeNull();
      await store.setThresholds(change(2, 5, 1.6), admin, T0 + 3 * MIN);
      expect((await store.unpublishedThresholds())?.version).toBe(3);
      await store.markThresholdsPublished(3, T0 + 4 * MIN);
      expect((await store.thresholdsHistory(10)).map((v) => [v.version, v.publishedAtMs])).toEqual([
        [3, T0 + 4 * MIN],
        [2, T0 + 2 * MIN],
        [1, T0 + 2 * MIN],
      ]);
      const from = async (minute: number, upTo: number) => (await store.thresholdsFrom(T0 + minute * MIN, upTo)).map((v) => v.version);
      expect([await from(-1, 3), await from(1, 3), await from(6, 3), await from(20, 2)]).toEqual([[1, 2, 3], [1, 2, 3], [3], [2]]);
    });

    it('takes a hostile note as data', async () => {
      const note = "'); DROP TABLE thresholds_versions;--";
      await store.setThresholds(change(0, 0, 2, note), { subject: "o'hara", role: 'admin' }, T0);
      expect((await store.latestThresholds())?.note).toBe(note);
      expect((await store.latestThresholds())?.setBy).toBe("o'hara");
    });
  });
}

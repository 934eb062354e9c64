import { beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryKey, NotificationLog } from './log.js';

const KEY: DeliveryKey = { routeId: 'ops', eventId: '0b6f3a52-1c2d-8e4f-9a0b-1c2d3e4f5a6b/1', alertId: '0b6f3a52-1c2d-8e4f-9a0b-1c2d3e4f5a6b' };
const T = 1_796_390_400_000;
const LEASE = 60_000;

/** The NotificationLog contract, run on every implementation (memory, PGlite, a PostgreSQL server). */
export function notificationLogSuite(name: string, open: () => Promise<NotificationLog>): void {
  describe(`NotificationLog on ${name}`, () => {
    let log: NotificationLog;
    beforeEach(async () => {
      log = await open();
    });

    it('claims a new delivery once, records it delivered, and never lets it be claimed again', async () => {
      expect(await log.claim(KEY, T, LEASE)).toBe(true);
      expect(await log.claim(KEY, T + 1, LEASE)).toBe(false);
      await log.complete(KEY, { status: 'delivered', attempts: 3 }, T + 500);
      expect(await log.get(KEY.routeId, KEY.eventId)).toEqual({ ...KEY, status: 'delivered', attempts: 3, lastError: null, claimedAtMs: T, updatedAtMs: T + 500, deliveredAtMs: T + 500 });
      expect(await log.claim(KEY, T + 10 * LEASE, LEASE)).toBe(false);
    });

    it('keys by route and event: another route or another step of the same alert is a delivery of its own', async () => {
      expect(await log.claim(KEY, T, LEASE)).toBe(true);
      expect(await log.claim({ ...KEY, routeId: 'oncall' }, T, LEASE)).toBe(true);
      expect(await log.claim({ ...KEY, eventId: `${KEY.alertId}/2` }, T, LEASE)).toBe(true);
      expect(await log.get('nobody', KEY.eventId)).toBeNull();
    });

    it('a permanent failure is final; an exhausted delivery may be claimed again and counts every attempt', async () => {
      const failed = { ...KEY, eventId: `${KEY.alertId}/5` };
      await log.claim(failed, T, LEASE);
      await log.complete(failed, { status: 'failed', attempts: 1, error: 'HTTP 404' }, T + 1);
      expect(await log.claim(failed, T + 2, LEASE)).toBe(false);
      expect((await log.get(failed.routeId, failed.eventId))?.lastError).toBe('HTTP 404');

      await log.claim(KEY, T, LEASE);
      await log.complete(KEY, { status: 'exhausted', attempts: 4, error: 'HTTP 503' }, T + 10);
      expect(await log.claim(KEY, T + 20, LEASE)).toBe(true);
      await log.complete(KEY, { status: 'delivered', attempts: 1 }, T + 30);
      expect(await log.get(KEY.routeId, KEY.eventId)).toEqual({ ...KEY, status: 'delivered', attempts: 5, lastError: null, claimedAtMs: T + 20, updatedAtMs: T + 30, deliveredAtMs: T + 30 });
    });

    it('a claim whose lease ran out (the process died while delivering) may be taken over, a live one not', async () => {
      await log.claim(KEY, T, LEASE);
      expect(await log.claim(KEY, T + LEASE - 1, LEASE)).toBe(false);
      expect(await log.claim(KEY, T + LEASE, LEASE)).toBe(true);
      expect((await log.get(KEY.routeId, KEY.eventId))?.claimedAtMs).toBe(T + LEASE);
    });

    it('of concurrent claims of one delivery exactly one wins', async () => {
      const key = { ...KEY, eventId: `${KEY.alertId}/9` };
      const wins = await Promise.all(Array.from({ length: 8 }, () => log.claim(key, T, LEASE)));
      expect(wins.filter(Boolean)).toHaveLength(1);
    });
  });
}

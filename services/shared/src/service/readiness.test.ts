import { describe, expect, it } from 'vitest';
import { Readiness } from './readiness.js';

describe('Readiness', () => {
  it('is ready with no checks and reports each check in registration order', async () => {
    expect(await new Readiness().evaluate()).toEqual([]);
    const r = new Readiness()
      .add('bus', () => undefined)
      .add('db', async () => {
        throw new Error('connection refused');
      });
    expect(await r.evaluate()).toEqual([
      { name: 'bus', ok: true },
      { name: 'db', ok: false, reason: 'connection refused' },
    ]);
  });

  it('fails a check that does not answer within the timeout', async () => {
    const r = new Readiness(20).add('slow', () => new Promise<void>(() => undefined));
    expect(await r.evaluate()).toEqual([{ name: 'slow', ok: false, reason: 'no answer within 20 ms' }]);
  });

  it('does not start a check again while the previous probe still waits for it', async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const r = new Readiness().add('bus', () => {
      calls++;
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    const first = r.evaluate();
    const second = r.evaluate();
    await new Promise((resolve) => setImmediate(resolve));
    release();
    expect(await Promise.all([first, second])).toEqual([[{ name: 'bus', ok: true }], [{ name: 'bus', ok: true }]]);
    expect(calls).toBe(1);
    await r.evaluate();
    expect(calls).toBe(2);
  });

  it('reports not ready once stopping, whatever the checks say', async () => {
    const r = new Readiness().add('bus', () => undefined);
    r.markStopping();
    expect(await r.evaluate()).toEqual([{ name: 'shutdown', ok: false, reason: 'the service is shutting down' }]);
  });

  it('refuses two checks with one name', () => {
    expect(() => new Readiness().add('bus', () => undefined).add('bus', () => undefined)).toThrow('readiness check bus is already registered');
  });
});

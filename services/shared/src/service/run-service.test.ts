import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { runService, type ServiceProcess } from './run-service.js';

/** A process stand-in: signals are emitted by the test, exits are recorded instead of ending vitest. */
class FakeProcess extends EventEmitter implements ServiceProcess {
  readonly exits: number[] = [];
  exit(code: number): void {
    this.exits.push(code);
  }
}

/** A logger that keeps each line's level and message, to check what an operator would read. */
function memoryLog() {
  const lines: { level: number; msg: string; err?: { message: string } }[] = [];
  const dest = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as (typeof lines)[number]);
      cb();
    },
  });
  return { log: pino({ level: 'debug' }, dest), lines };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('runService', () => {
  it('starts, then on SIGTERM stops once and exits 0', async () => {
    const proc = new FakeProcess();
    const { log, lines } = memoryLog();
    const calls: string[] = [];
    await runService({ name: 's', log, process: proc, start: async () => void calls.push('start'), stop: async () => void calls.push('stop') });
    expect(calls).toEqual(['start']);
    proc.emit('SIGTERM');
    await tick();
    expect(calls).toEqual(['start', 'stop']);
    expect(proc.exits).toEqual([0]);
    expect(lines.map((l) => l.msg)).toEqual(['starting', 'started', 'stopping', 'stopped']);
  });

  it('forces exit 1 on a second signal while the graceful stop runs', async () => {
    const proc = new FakeProcess();
    let stops = 0;
    await runService({ name: 's', log: memoryLog().log, process: proc, start: async () => undefined, stop: () => new Promise<void>(() => void stops++) });
    proc.emit('SIGINT');
    await tick();
    proc.emit('SIGTERM');
    expect(stops).toBe(1);
    expect(proc.exits).toEqual([1]);
  });

  it('exits 1 when the graceful stop takes longer than its timeout', async () => {
    const proc = new FakeProcess();
    const { log, lines } = memoryLog();
    await runService({ name: 's', log, process: proc, stopTimeoutMs: 20, start: async () => undefined, stop: () => new Promise<void>(() => undefined) });
    proc.emit('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(proc.exits).toEqual([1]);
    expect(lines.at(-1)?.msg).toBe('graceful stop did not finish in time: exiting');
  });

  it('exits 1 when stop fails, and logs why', async () => {
    const proc = new FakeProcess();
    const { log, lines } = memoryLog();
    await runService({ name: 's', log, process: proc, start: async () => undefined, stop: async () => Promise.reject(new Error('flush failed')) });
    proc.emit('SIGTERM');
    await tick();
    expect(proc.exits).toEqual([1]);
    expect(lines.at(-1)).toMatchObject({ level: 50, msg: 'graceful stop failed', err: { message: 'flush failed' } });
  });

  it('exits 1 when start fails, without calling stop', async () => {
    const proc = new FakeProcess();
    const { log, lines } = memoryLog();
    let stopped = false;
    await runService({ name: 's', log, process: proc, start: async () => Promise.reject(new Error('no broker')), stop: async () => void (stopped = true) });
    expect(proc.exits).toEqual([1]);
    expect(stopped).toBe(false);
    expect(lines.at(-1)).toMatchObject({ level: 60, msg: 'start failed: exiting', err: { message: 'no broker' } });
  });

  it('waits for a start in progress before stopping on a signal', async () => {
    const proc = new FakeProcess();
    const calls: string[] = [];
    let finishStart: () => void = () => undefined;
    const running = runService({
      name: 's',
      log: memoryLog().log,
      process: proc,
      start: () => new Promise<void>((resolve) => (finishStart = () => (calls.push('started'), resolve()))),
      stop: async () => void calls.push('stop'),
    });
    proc.emit('SIGTERM');
    await tick();
    expect(calls).toEqual([]);
    finishStart();
    await running;
    await tick();
    expect(calls).toEqual(['started', 'stop']);
    expect(proc.exits).toEqual([0]);
  });

  it('logs an uncaught exception or unhandled rejection and exits 1', async () => {
    const proc = new FakeProcess();
    const { log, lines } = memoryLog();
    await runService({ name: 's', log, process: proc, start: async () => undefined, stop: async () => undefined });
    proc.emit('uncaughtException', new Error('bug'));
    proc.emit('unhandledRejection', new Error('forgotten promise'));
    expect(proc.exits).toEqual([1, 1]);
    expect(lines.slice(-2)).toMatchObject([
      { level: 60, msg: 'uncaught exception: exiting', err: { message: 'bug' } },
      { level: 60, msg: 'unhandled promise rejection: exiting', err: { message: 'forgotten promise' } },
    ]);
  });
});

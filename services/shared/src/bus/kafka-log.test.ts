import { Writable } from 'node:stream';
import { logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { kafkaLogCreator, kafkaLogLevel, scrubSecrets } from './kafka-log.js';

function capture(level = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, log: createLogger('test', { level, destination }) };
}

const entry = (namespace: string, level: logLevel, message: string, extra: Record<string, unknown> = {}) => ({
  namespace,
  level,
  label: 'X',
  log: { timestamp: '2026-01-01T00:00:00.000Z', message, ...extra },
});

describe('kafkajs logging through pino', () => {
  it('logs each kafkajs entry once, at its level, under component kafkajs with its fields', () => {
    const { lines, log } = capture();
    const write = kafkaLogCreator(log, [])(logLevel.DEBUG);
    write(entry('Consumer', logLevel.INFO, 'Starting', { groupId: 'traffic-stats' }));
    write(entry('Cluster', logLevel.DEBUG, 'Metadata refreshed', { broker: 'k1:9092' }));
    write(entry('Runner', logLevel.ERROR, 'Crash: boom'));
    expect(lines.map((l) => [l.level, l.component, l.namespace, l.msg, l.groupId ?? l.broker ?? null])).toEqual([
      [30, 'kafkajs', 'Consumer', 'Starting', 'traffic-stats'],
      [20, 'kafkajs', 'Cluster', 'Metadata refreshed', 'k1:9092'],
      [50, 'kafkajs', 'Runner', 'Crash: boom', null],
    ]);
  });

  it('removes the secrets from messages, nested fields and errors, and fields named like secrets', () => {
    const { lines, log } = capture();
    const secret = 'hunter2-secret';
    const write = kafkaLogCreator(log, [secret])(logLevel.DEBUG);
    const err = new Error(`auth failed for password ${secret}`);
    write(entry('Connection', logLevel.WARN, `SASL with ${secret}`, { sasl: { mechanism: 'plain', password: secret }, nested: { deeper: [`x${secret}y`] }, error: err, sessionToken: 'tok' }));
    const text = JSON.stringify(lines);
    expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      msg: 'SASL with [redacted]',
      sasl: '[redacted]',
      nested: { deeper: ['x[redacted]y'] },
      error: { type: 'Error', message: 'auth failed for password [redacted]' },
      sessionToken: '[redacted]',
    });
  });

  it("lowers kafkajs' ERROR for a broker's error answer (retried or thrown to the caller) and the bounded-retries warning", () => {
    const { lines, log } = capture();
    const write = kafkaLogCreator(log, [])(logLevel.DEBUG);
    write(entry('Connection', logLevel.ERROR, 'Response AddPartitionsToTxn(key: 24, version: 1)', { error: 'CONCURRENT_TRANSACTIONS' }));
    write(entry('Producer', logLevel.WARN, 'Limiting retries for the idempotent producer may invalidate EoS guarantees'));
    write(entry('Connection', logLevel.ERROR, 'Connection error: ECONNREFUSED'));
    expect(lines.map((l) => l.level)).toEqual([40, 20, 50]);
  });

  it('maps pino levels to kafkajs levels', () => {
    expect(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].map(kafkaLogLevel)).toEqual([
      logLevel.DEBUG,
      logLevel.DEBUG,
      logLevel.INFO,
      logLevel.WARN,
      logLevel.ERROR,
      logLevel.ERROR,
      logLevel.NOTHING,
    ]);
  });

  it('summarises buffers and stops at depth', () => {
    expect(scrubSecrets({ payload: Buffer.from('abc') }, [])).toEqual({ payload: '<3 bytes>' });
    const deep = { a: { b: { c: { d: { e: { f: { g: { h: 1 } } } } } } } };
    expect(JSON.stringify(scrubSecrets(deep, []))).toBe('{"a":{"b":{"c":{"d":{"e":{"f":{"g":"[nested too deep]"}}}}}}}');
  });
});

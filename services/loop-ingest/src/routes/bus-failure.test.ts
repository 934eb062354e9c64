import { interceptSends, type Bus, type InProcessBus } from '@saferoads/shared/bus';
import { SaferoadsError } from '@saferoads/shared/errors';
import { TOPICS } from '@saferoads/shared/topics';
import { describe, expect, it } from 'vitest';
import { MAX_SEND_BYTES } from '@saferoads/shared/ingest';
import { detection, metricValue, readTopic, testAppPerTest } from '../testing/harness.js';

interface Send {
  readonly topic: string;
  readonly records: number;
  /** Key and value bytes. */
  readonly bytes: number;
}

/** The in-process bus, except that sends to `failing` topics reject as an unreachable Kafka would; sends are logged. */
function flakyBus(inner: InProcessBus, failing: readonly string[], sends: Send[] = []): Bus {
  return interceptSends(inner, (topic, records) => {
    sends.push({ topic, records: records.length, bytes: records.reduce((n, r) => n + Buffer.byteLength(r.value) + Buffer.byteLength(r.key ?? ''), 0) });
    if (failing.includes(topic)) throw new SaferoadsError('BUS_UNAVAILABLE', `sending ${records.length} records to ${topic}: connect ECONNREFUSED 10.0.0.7:9092`, { retriable: true });
  });
}

const start = testAppPerTest();


const UNAVAILABLE = {
  statusCode: 503,
  error: 'Service Unavailable',
  message: 'the event bus did not take the batch, so nothing of it was accepted: send the whole batch again in 5 s',
};

describe('POST /v1/detections when the bus fails', () => {
  it('answers 503 with Retry-After, reports nothing accepted and counts nothing accepted', async () => {
    const current = await start({ wrap: (bus) => flakyBus(bus, [TOPICS.detections, TOPICS.detectionsDlq]) });
    const res = await current.app.inject({
      method: 'POST',
      url: '/v1/detections',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify([detection('A13-S-001-L1', 1), detection('NOPE', 1)]),
    });
    const { app } = current;
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    // The broker's address stays in the log: clients learn only what they can act on.
    expect(res.json()).toEqual(UNAVAILABLE);
    expect(await readTopic(current.bus, TOPICS.detections)).toEqual([]);
    const metric = (name: string, labels: Record<string, string> = {}) => metricValue(app, `saferoads_loop_ingest_${name}`, labels);
    expect(await metric('records_received_total')).toBe(2);
    expect(await metric('records_accepted_total')).toBe(0);
    expect(await metric('records_rejected_total', { reason: 'unknown_detector' })).toBe(0);
    expect(await metric('batches_total', { status: '503' })).toBe(1);
    expect(await metric('produce_duration_seconds_count', { topic: 'loop.detections', outcome: 'error' })).toBe(1);
  });

  it('answers 503 when only the dead-letter write fails, with INGEST_RETRY_AFTER_S', async () => {
    const current = await start({ env: { INGEST_RETRY_AFTER_S: '30' }, wrap: (bus) => flakyBus(bus, [TOPICS.detectionsDlq]) });
    const res = await current.app.inject({
      method: 'POST',
      url: '/v1/detections',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify([detection('A13-S-001-L1', 1), detection('NOPE', 1)]),
    });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('30');
    expect(res.json()).toEqual({ ...UNAVAILABLE, message: 'the event bus did not take the batch, so nothing of it was accepted: send the whole batch again in 30 s' });
  });
});

describe('POST /v1/detections with a large batch', () => {
  it('writes it in sends of bounded size, every record once and in order', async () => {
    const sends: Send[] = [];
    const current = await start({ wrap: (bus) => flakyBus(bus, [], sends) });
    const batch = Array.from({ length: 12_000 }, (_, i) => detection('A13-S-001-L1', 1, i));
    const res = await current.app.inject({ method: 'POST', url: '/v1/detections', headers: { 'content-type': 'application/x-ndjson' }, payload: batch.map((d) => JSON.stringify(d)).join('\n') });
    expect(res.json()).toEqual({ accepted: 12_000, rejected: 0, errors: [] });
    const totalBytes = batch.reduce((n, d) => n + JSON.stringify(d).length + 'A13-S-001'.length, 0);
    // About 1.4 MB in sends of at most 512 KiB each; records are small, so three sends hold them.
    expect(sends.map((s) => s.bytes <= MAX_SEND_BYTES)).toEqual([true, true, true]);
    expect(sends.length).toBe(Math.ceil(totalBytes / MAX_SEND_BYTES));
    expect(sends.reduce((n, s) => n + s.records, 0)).toBe(12_000);
    const written = await readTopic(current.bus, TOPICS.detections);
    expect(written.map((r) => r.timestamp)).toEqual(batch.map((d) => d.ts));
  });
});

import { interceptSends, partitionFor } from '@saferoads/shared/bus';
import { SaferoadsError } from '@saferoads/shared/errors';
import { TOPICS, type DeadLetter } from '@saferoads/shared/topics';
import { describe, expect, it } from 'vitest';
import { jsonSyntaxError, metricValue, observation, observationsOf, PARTITIONS, readTopic, testAppPerTest, type TestApp } from '../testing/harness.js';

const start = testAppPerTest();
const URL = '/v1/weather/observations';

const post = (t: TestApp, contentType: string, payload: string) => t.app.inject({ method: 'POST', url: URL, headers: { 'content-type': contentType }, payload });
const postJson = (t: TestApp, body: unknown) => post(t, 'application/json', JSON.stringify(body));
const deadLetters = async (t: TestApp) => (await readTopic(t.bus, TOPICS.weatherDlq)).map((r) => JSON.parse(r.value) as DeadLetter);

describe('POST /v1/weather/observations: valid batches', () => {
  it('accepts a JSON array and writes each reading keyed by its station, on that key\'s partition, stamped with its time', async () => {
    const t = await start();
    const batch = [observation('WS-A13-01', 0), observation('WS-A13-02', 0), observation('WS-A13-01', 1)];
    const res = await postJson(t, batch);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 3, rejected: 0, errors: [] });
    const written = await observationsOf(t.bus);
    const of = (station: string) => written.filter((r) => r.key === station).map((r) => [r.partition, JSON.parse(r.value), r.timestamp]);
    expect(of('WS-A13-01')).toEqual([
      [partitionFor('WS-A13-01', PARTITIONS), batch[0], batch[0].ts],
      [partitionFor('WS-A13-01', PARTITIONS), batch[2], batch[2].ts],
    ]);
    expect(of('WS-A13-02')).toEqual([[partitionFor('WS-A13-02', PARTITIONS), batch[1], batch[1].ts]]);
    expect(await deadLetters(t)).toEqual([]);
  });

  it('accepts NDJSON with CRLF line ends, and drops fields the contract does not define', async () => {
    const t = await start();
    const text = `${JSON.stringify({ ...observation('WS-1'), vendor: 'Vaisala', roadSurfaceState: 'wet' })}\r\n${JSON.stringify(observation('WS-1', 1))}\r\n`;
    const res = await post(t, 'application/x-ndjson; charset=utf-8', text);
    expect(res.json()).toEqual({ accepted: 2, rejected: 0, errors: [] });
    expect((await observationsOf(t.bus)).map((r) => JSON.parse(r.value) as unknown)).toEqual([{ ...observation('WS-1'), roadSurfaceState: 'wet' }, observation('WS-1', 1)]);
  });
});

describe('POST /v1/weather/observations: refused readings', () => {
  it('keeps the valid readings of a mixed batch, reports each refused one by index, field and reason, and dead-letters it', async () => {
    const t = await start();
    const broken = '{"stationId": "WS-9", ';
    const gusty = { ...observation('WS-3'), windSpeedMs: 8, windGustMs: 5 };
    const lines = [JSON.stringify(observation('WS-1')), broken, JSON.stringify({ ...observation('WS-2'), airTemperatureC: 99 }), JSON.stringify(gusty), JSON.stringify(observation('WS-4', 30)), JSON.stringify(observation('WS-5'))];
    const res = await post(t, 'application/x-ndjson', lines.join('\n'));
    expect(res.statusCode).toBe(202);
    const errors = [
      { index: 1, field: '(record)', reason: `not valid JSON: ${jsonSyntaxError(broken)}` },
      { index: 2, field: 'airTemperatureC', reason: 'must be <= 70' },
      { index: 3, field: 'windGustMs', reason: '5 m/s is below windSpeedMs 8 m/s: a gust is the highest wind of the period' },
      { index: 4, field: 'ts', reason: '1800 s ahead of the gateway clock (at most 300 s): check the station clock' },
    ];
    expect(res.json()).toEqual({ accepted: 2, rejected: 4, errors });
    expect((await observationsOf(t.bus)).map((r) => r.key).sort()).toEqual(['WS-1', 'WS-5']);
    expect(await deadLetters(t)).toEqual(
      errors.map((e, i) => ({ reason: `${e.field}: ${e.reason}`, errors: [{ field: e.field, reason: e.reason }], source: null, raw: lines[i + 1] })),
    );
    const metric = (name: string, labels: Record<string, string> = {}) => metricValue(t.app, `saferoads_weather_ingest_${name}`, labels);
    expect(await metric('records_received_total')).toBe(6);
    expect(await metric('records_accepted_total')).toBe(2);
    for (const reason of ['malformed', 'schema', 'inconsistent', 'future']) expect(await metric('records_rejected_total', { reason })).toBe(1);
  });

  it('answers 400 with the report when every reading is refused, and still dead-letters them', async () => {
    const t = await start();
    const res = await postJson(t, [{ stationId: '' }]);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ statusCode: 400, message: 'every record of the batch was refused (1): nothing was accepted', accepted: 0, rejected: 1 });
    expect((await deadLetters(t)).map((d) => d.raw)).toEqual(['{"stationId":""}']);
  });
});

describe('POST /v1/weather/observations: bodies that are no batch', () => {
  it.each([
    ['application/json', '{"stationId":"WS-1"}', 400, 'the body must be a JSON array of weather observations: got an object'],
    ['text/csv', 'a,b', 415, 'Content-Type "text/csv" is not supported: send application/json (a JSON array of weather observations) or application/x-ndjson (one weather observation per line)'],
  ])('answers %s %j with %i', async (contentType, payload, status, message) => {
    const t = await start();
    const res = await post(t, contentType, payload);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ statusCode: status, message });
  });

  it('answers 413 over the body limit and over the record limit', async () => {
    const t = await start({ env: { INGEST_BODY_LIMIT_BYTES: '1024', INGEST_MAX_RECORDS: '2' } });
    const big = await postJson(t, Array.from({ length: 8 }, (_, i) => observation('WS-1', i)));
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ message: 'the body is larger than the limit of 1024 bytes: split the batch' });
    const many = await post(t, 'application/x-ndjson', [0, 1, 2].map((i) => JSON.stringify(observation('WS-1', i))).join('\n'));
    expect(many.statusCode).toBe(413);
    expect(many.json()).toMatchObject({ message: 'the batch holds 3 records, more than the 2 allowed per request: split it' });
    expect(await observationsOf(t.bus)).toEqual([]);
  });

  it('answers 503 with Retry-After when the bus does not take the batch, and counts nothing accepted', async () => {
    const t = await start({
      wrap: (bus) =>
        interceptSends(bus, () => {
          throw new SaferoadsError('BUS_UNAVAILABLE', 'connect ECONNREFUSED 10.0.0.7:9092', { retriable: true });
        }),
    });
    const res = await postJson(t, [observation('WS-1')]);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'the event bus did not take the batch, so nothing of it was accepted: send the whole batch again in 5 s',
    });
    expect(await metricValue(t.app, 'saferoads_weather_ingest_records_accepted_total')).toBe(0);
    expect(await metricValue(t.app, 'saferoads_weather_ingest_batches_total', { status: '503' })).toBe(1);
  });
});

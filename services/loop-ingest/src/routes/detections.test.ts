import { partitionFor } from '@saferoads/shared/bus';
import type { DeadLetter } from '@saferoads/shared/topics';
import { TOPICS } from '@saferoads/shared/topics';
import { describe, expect, it } from 'vitest';
import { detection, jsonSyntaxError, PARTITIONS, readTopic, testAppPerTest, type TestApp } from '../testing/harness.js';

const NETWORK = 'A13 Brenner Autobahn (approximate model)';


const start = testAppPerTest();

function postJson(t: TestApp, body: unknown) {
  return t.app.inject({ method: 'POST', url: '/v1/detections', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
}

function postNdjson(t: TestApp, text: string) {
  return t.app.inject({ method: 'POST', url: '/v1/detections', headers: { 'content-type': 'application/x-ndjson' }, payload: text });
}

const deadLetters = async (t: TestApp) => (await readTopic(t.bus, TOPICS.detectionsDlq)).map((r) => JSON.parse(r.value) as DeadLetter);

describe('POST /v1/detections: valid batches', () => {
  it('accepts a JSON array and writes each detection keyed by its segment, on that key\'s partition', async () => {
    const t = await start();
    const batch = [detection('A13-S-001-L1', 1, 0), detection('A13-S-002-L2', 2, 1), detection('A13-S-001-L2', 2, 2)];
    const res = await postJson(t, batch);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 3, rejected: 0, errors: [] });

    const written = await readTopic(t.bus, TOPICS.detections);
    const bySegment = (segmentId: string) => written.filter((r) => r.key === segmentId);
    expect(written).toHaveLength(3);
    expect(bySegment('A13-S-001').map((r) => [r.partition, JSON.parse(r.value), r.timestamp])).toEqual([
      [partitionFor('A13-S-001', PARTITIONS), batch[0], batch[0].ts],
      [partitionFor('A13-S-001', PARTITIONS), batch[2], batch[2].ts],
    ]);
    expect(bySegment('A13-S-002').map((r) => [r.partition, JSON.parse(r.value), r.timestamp])).toEqual([[partitionFor('A13-S-002', PARTITIONS), batch[1], batch[1].ts]]);
    expect(await readTopic(t.bus, TOPICS.detectionsDlq)).toEqual([]);
  });

  it('accepts the same batch as NDJSON, with CRLF line ends and a trailing newline', async () => {
    const t = await start();
    const batch = [detection('A13-S-001-L1', 1, 0), detection('A13-S-003-L2', 2, 1)];
    const res = await postNdjson(t, batch.map((d) => JSON.stringify(d)).join('\r\n') + '\r\n');
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 2, rejected: 0, errors: [] });
    const values = (await readTopic(t.bus, TOPICS.detections)).map((r) => JSON.parse(r.value) as unknown);
    // Two segments, so two partitions may be read in either order: the same two records, once each.
    expect(values).toHaveLength(2);
    expect(values).toEqual(expect.arrayContaining(batch));
  });

  it('packs a segment\'s detections into NDJSON records with LOOP_INGEST_DETECTIONS_PER_RECORD, answering with the detections\' counts', async () => {
    const t = await start({ env: { LOOP_INGEST_DETECTIONS_PER_RECORD: '2' } });
    // detection(_, _, i) is i seconds into the batch; the span allows 1 s in a record.
    const batch = [detection('A13-S-001-L1', 1, 0), detection('A13-S-002-L2', 2, 0), detection('A13-S-001-L2', 2, 1), detection('A13-S-001-L1', 1, 1), { ...detection('NOPE', 1), seq: 1 }];
    const res = await postJson(t, batch);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ accepted: 4, rejected: 1 });
    const written = await readTopic(t.bus, TOPICS.detections);
    const lines = (segmentId: string) => written.filter((r) => r.key === segmentId).map((r) => [r.partition, r.value.split('\n').map((l) => JSON.parse(l) as unknown), r.timestamp]);
    expect(lines('A13-S-001')).toEqual([
      [partitionFor('A13-S-001', PARTITIONS), [batch[0], batch[2]], batch[2].ts],
      [partitionFor('A13-S-001', PARTITIONS), [batch[3]], batch[3].ts],
    ]);
    expect(lines('A13-S-002')).toEqual([[partitionFor('A13-S-002', PARTITIONS), [batch[1]], batch[1].ts]]);
    expect(await deadLetters(t)).toHaveLength(1);
  });

  it('writes an NDJSON line holding only contract fields as it came, and rewrites one with other fields', async () => {
    const t = await start();
    const plain = '{ "lane": 1, "detectorId": "A13-S-001-L1", "ts": 1773118800000, "speedKmh": 85.30, "lengthM": 4.5 }';
    const extra = JSON.stringify({ ...detection('A13-S-001-L1', 1, 1), firmware: 'v2.1' });
    const res = await postNdjson(t, `${plain}\n${extra}\n`);
    expect(res.json()).toEqual({ accepted: 2, rejected: 0, errors: [] });
    expect((await readTopic(t.bus, TOPICS.detections)).map((r) => r.value)).toEqual([plain, JSON.stringify(detection('A13-S-001-L1', 1, 1))]);
  });

  it('drops fields the contract does not define before writing', async () => {
    const t = await start();
    const res = await postJson(t, [{ ...detection('A13-S-001-L1', 1), seq: 7, firmware: 'v2.1' }]);
    expect(res.json()).toEqual({ accepted: 1, rejected: 0, errors: [] });
    const [written] = await readTopic(t.bus, TOPICS.detections);
    expect(JSON.parse(written.value)).toEqual({ ...detection('A13-S-001-L1', 1), seq: 7 });
  });

  it('accepts an empty batch and writes nothing', async () => {
    const t = await start();
    const res = await postJson(t, []);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 0, rejected: 0, errors: [] });
    expect(await readTopic(t.bus, TOPICS.detections)).toEqual([]);
  });
});

describe('POST /v1/detections: refused records', () => {
  it('accepts the valid records of a mixed batch and reports each refused one by index, field and reason', async () => {
    const t = await start();
    const bad = { ...detection('A13-S-001-L1', 1), speedKmh: 0 };
    const batch = [detection('A13-S-001-L1', 1, 0), bad, detection('X-99', 1), detection('A13-S-001-L1', 2), detection('A13-S-002-L1', 1, 4)];
    const res = await postJson(t, batch);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({
      accepted: 2,
      rejected: 3,
      errors: [
        { index: 1, field: 'speedKmh', reason: 'must be > 0' },
        { index: 2, field: 'detectorId', reason: `unknown detector "X-99": not in the road network "${NETWORK}"` },
        { index: 3, field: 'lane', reason: 'detector A13-S-001-L1 is in lane 1, not 2' },
      ],
    });
    expect((await readTopic(t.bus, TOPICS.detections)).map((r) => [r.key, JSON.parse(r.value)])).toEqual(
      [
        ['A13-S-001', batch[0]],
        ['A13-S-002', batch[4]],
      ].sort((a, b) => partitionFor(a[0] as string, PARTITIONS) - partitionFor(b[0] as string, PARTITIONS)),
    );
    expect(await deadLetters(t)).toEqual([
      { reason: 'speedKmh: must be > 0', errors: [{ field: 'speedKmh', reason: 'must be > 0' }], source: null, raw: JSON.stringify(bad) },
      {
        reason: `detectorId: unknown detector "X-99": not in the road network "${NETWORK}"`,
        errors: [{ field: 'detectorId', reason: `unknown detector "X-99": not in the road network "${NETWORK}"` }],
        source: null,
        raw: JSON.stringify(batch[2]),
      },
      {
        reason: 'lane: detector A13-S-001-L1 is in lane 1, not 2',
        errors: [{ field: 'lane', reason: 'detector A13-S-001-L1 is in lane 1, not 2' }],
        source: null,
        raw: JSON.stringify(batch[3]),
      },
    ]);
  });

  it('answers 400 with the same report when every record is refused, and still dead-letters them', async () => {
    const t = await start();
    const res = await postJson(t, [detection('NOPE', 1), 'not an object']);
    expect(res.statusCode).toBe(400);
    const errors = [
      { index: 0, field: 'detectorId', reason: `unknown detector "NOPE": not in the road network "${NETWORK}"` },
      { index: 1, field: '(record)', reason: 'must be object' },
    ];
    expect(res.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'every record of the batch was refused (2): nothing was accepted',
      details: errors,
      accepted: 0,
      rejected: 2,
      errors,
    });
    expect((await deadLetters(t)).map((d) => d.raw)).toEqual([JSON.stringify(detection('NOPE', 1)), '"not an object"']);
    expect(await readTopic(t.bus, TOPICS.detections)).toEqual([]);
  });

  it('refuses a detector the network does not know, by its field', async () => {
    const t = await start();
    const res = await postJson(t, [detection('A13-S-001-L1', 1), detection('A13-S-999-L1', 1)]);
    expect(res.json()).toEqual({
      accepted: 1,
      rejected: 1,
      errors: [{ index: 1, field: 'detectorId', reason: `unknown detector "A13-S-999-L1": not in the road network "${NETWORK}"` }],
    });
  });

  it('refuses a detection whose lane is not its detector\'s lane', async () => {
    const t = await start();
    const res = await postJson(t, [detection('A13-S-002-L2', 1), detection('A13-S-002-L2', 2)]);
    expect(res.json()).toEqual({ accepted: 1, rejected: 1, errors: [{ index: 0, field: 'lane', reason: 'detector A13-S-002-L2 is in lane 2, not 1' }] });
  });

  it('keeps the other lines of an NDJSON batch with a broken line, indexing records by line', async () => {
    const t = await start();
    const broken = '{"detectorId": "A13-S-001-L1", ';
    const text = [JSON.stringify(detection('A13-S-001-L1', 1)), broken, '', JSON.stringify(detection('A13-S-002-L1', 1, 3))].join('\n');
    const res = await postNdjson(t, text);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 2, rejected: 1, errors: [{ index: 1, field: '(record)', reason: `not valid JSON: ${jsonSyntaxError(broken)}` }] });
    expect(await deadLetters(t)).toEqual([
      { reason: `(record): not valid JSON: ${jsonSyntaxError(broken)}`, errors: [{ field: '(record)', reason: `not valid JSON: ${jsonSyntaxError(broken)}` }], source: null, raw: broken },
    ]);
  });

  it('lists at most INGEST_MAX_ERRORS_REPORTED errors and counts the rest', async () => {
    const t = await start({ env: { INGEST_MAX_ERRORS_REPORTED: '1' } });
    const res = await postJson(t, [detection('A13-S-001-L1', 1), detection('A', 1), detection('B', 1), detection('C', 1)]);
    expect(res.json()).toEqual({
      accepted: 1,
      rejected: 3,
      errors: [{ index: 1, field: 'detectorId', reason: `unknown detector "A": not in the road network "${NETWORK}"` }],
      errorsOmitted: 2,
    });
  });
});

describe('POST /v1/detections: bodies that are no batch', () => {
  it('answers 400 naming the problem when a JSON body does not parse', async () => {
    const t = await start();
    const text = '[{"detectorId": "A13-S-001-L1",';
    const res = await t.app.inject({ method: 'POST', url: '/v1/detections', headers: { 'content-type': 'application/json' }, payload: text });
    expect(res.statusCode).toBe(400);
    const reason = `not valid JSON (${jsonSyntaxError(text)})`;
    expect(res.json()).toEqual({ statusCode: 400, error: 'Bad Request', message: `the body must be a JSON array of detections: ${reason}`, details: [{ field: '(body)', reason }] });
  });

  it('answers 400 for a JSON body that is not an array, or is empty', async () => {
    const t = await start();
    const single = await postJson(t, detection('A13-S-001-L1', 1));
    expect(single.statusCode).toBe(400);
    expect(single.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'the body must be a JSON array of detections: got an object',
      details: [{ field: '(body)', reason: 'got an object' }],
    });
    const empty = await t.app.inject({ method: 'POST', url: '/v1/detections', headers: { 'content-type': 'application/json' }, payload: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'the body must be a JSON array of detections: the body is empty',
      details: [{ field: '(body)', reason: 'the body is empty' }],
    });
  });

  it('answers 415 for another content type, a missing one, or a compressed body', async () => {
    const t = await start();
    const payload = JSON.stringify([detection('A13-S-001-L1', 1)]);
    const text = await t.app.inject({ method: 'POST', url: '/v1/detections', headers: { 'content-type': 'text/plain' }, payload });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toEqual({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: 'Content-Type "text/plain" is not supported: send application/json (a JSON array of detections) or application/x-ndjson (one detection per line)',
      details: [{ field: 'content-type', reason: '"text/plain" is not supported' }],
    });
    const none = await t.app.inject({ method: 'POST', url: '/v1/detections' });
    expect(none.statusCode).toBe(415);
    expect(none.json()).toEqual({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: 'Content-Type is missing: send application/json (a JSON array of detections) or application/x-ndjson (one detection per line)',
      details: [{ field: 'content-type', reason: 'is missing' }],
    });
    const gzip = await t.app.inject({ method: 'POST', url: '/v1/detections', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload });
    expect(gzip.statusCode).toBe(415);
    expect(gzip.json()).toEqual({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: 'Content-Encoding "gzip" is not supported: send the body uncompressed',
      details: [{ field: 'content-encoding', reason: '"gzip" is not supported' }],
    });
    expect(await readTopic(t.bus, TOPICS.detections)).toEqual([]);
  });

  it('accepts a content type with parameters', async () => {
    const t = await start();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/detections',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      payload: JSON.stringify([detection('A13-S-001-L1', 1)]),
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 1, rejected: 0, errors: [] });
  });
});

describe('POST /v1/detections: limits', () => {
  it('answers 413 for a body over INGEST_BODY_LIMIT_BYTES', async () => {
    const t = await start({ env: { INGEST_BODY_LIMIT_BYTES: '1024' } });
    const batch = Array.from({ length: 20 }, (_, i) => detection('A13-S-001-L1', 1, i));
    expect(JSON.stringify(batch).length).toBeGreaterThan(1024);
    const res = await postJson(t, batch);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'the body is larger than the limit of 1024 bytes: split the batch',
      details: [{ field: '(body)', reason: 'larger than 1024 bytes' }],
    });
    expect(await readTopic(t.bus, TOPICS.detections)).toEqual([]);
  });

  it('answers 413 for more records than INGEST_MAX_RECORDS, in JSON and in NDJSON', async () => {
    const t = await start({ env: { INGEST_MAX_RECORDS: '2' } });
    const batch = [0, 1, 2].map((i) => detection('A13-S-001-L1', 1, i));
    const expected = {
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'the batch holds 3 records, more than the 2 allowed per request: split it',
      details: [{ field: '(body)', reason: 'more than 2 records' }],
    };
    const json = await postJson(t, batch);
    expect(json.statusCode).toBe(413);
    expect(json.json()).toEqual(expected);
    const ndjson = await postNdjson(t, batch.map((d) => JSON.stringify(d)).join('\n'));
    expect(ndjson.statusCode).toBe(413);
    expect(ndjson.json()).toEqual(expected);
    expect(await readTopic(t.bus, TOPICS.detections)).toEqual([]);
  });
});

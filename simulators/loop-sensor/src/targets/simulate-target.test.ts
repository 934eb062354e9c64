import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli, simulateA13, startGateway, type Gateway } from './test-support.js';

const RUN = ['--seed', '7', '--minutes', '2', '--start', '2026-03-10T06:50:00Z', '--no-progress'];

let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.app.close();
  gateway = undefined;
});

describe('saferoads simulate --target', () => {
  it('feeds the gateway exactly what --out would hold and prints a summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simulate-target-'));
    const file = join(dir, 'd.ndjson');
    expect(await runCli([...RUN, '--out', file])).toEqual({ code: 0, err: '' });
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    rmSync(dir, { recursive: true });

    gateway = await startGateway();
    const r = await runCli([...RUN, '--target', gateway.endpoint.replace('/v1/detections', ''), '--batch-size', '500']);
    expect(r.code).toBe(0);
    const n = lines.length;
    expect(r.err).toMatch(
      new RegExp(
        `^simulate: ${n} records sent to ${gateway.endpoint} in \\d+\\.\\d\\d s \\(\\d+ records/s, \\d+ requests, 0 retries\\): ${n} accepted, 0 rejected\\n$`,
      ),
    );
    const got = await gateway.detections();
    expect(got.map((d) => d.value).sort()).toEqual([...lines].sort());
  });

  it('exits 1 with the gateway\'s message when it refuses a batch', async () => {
    gateway = await startGateway({ env: { INGEST_MAX_RECORDS: '10' } });
    const r = await runCli([...RUN, '--target', gateway.endpoint, '--concurrency', '1']);
    // One connection: the first request is the first 5 s step.
    const n = simulateA13(2)[0].detections.length;
    expect(r.code).toBe(1);
    const [summary, error, end] = r.err.split('\n');
    expect(summary).toMatch(new RegExp(`^simulate \\(failed\\): 0 records sent to ${gateway.endpoint} in \\d+\\.\\d\\d s \\(0 records/s, 0 requests, 0 retries\\): 0 accepted, 0 rejected$`));
    expect(error).toBe(
      `error: ${gateway.endpoint} refused a batch of ${n} records with 413 Payload Too Large: the batch holds ${n} records, more than the 10 allowed per request: split it (lower --batch-size)`,
    );
    expect(end).toBe('');
  });

  it('exits 2 on a bad --target before anything runs', async () => {
    expect(await runCli([...RUN, '--target', 'kafka://localhost'])).toEqual({
      code: 2,
      err: 'error: option \'--target\' needs a port for every broker, e.g. kafka://localhost:9092, got "kafka://localhost"\n',
    });
    expect(await runCli([...RUN, '--target', 'mqtt://localhost:1883'])).toEqual({
      code: 2,
      err: 'error: option \'--target\' has unsupported scheme "mqtt": use http://host:port, https://host:port or kafka://host:port[,host:port]\n',
    });
  });

  it('exits 2 naming the variable when the KAFKA_* environment is bad', async () => {
    vi.stubEnv('KAFKA_SSL', 'maybe');
    try {
      expect(await runCli([...RUN, '--target', 'kafka://localhost:9092'])).toEqual({
        code: 2,
        err: 'error: option \'--target\' invalid kafka configuration: KAFKA_SSL: must be true or false, got "maybe"\n',
      });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

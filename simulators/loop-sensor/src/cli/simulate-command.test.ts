import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../targets/test-support.js';

describe('saferoads simulate', () => {
  it('exits 2 naming the option on a bad value', async () => {
    const r = await runCli(['--seed', 'abc']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/option '--seed' must be a number/);
    expect((await runCli(['--minutes', '-5'])).err).toMatch(/'--minutes' must be between/);
    expect((await runCli(['--start', 'yesterday'])).code).toBe(2);
    expect((await runCli(['--network', '/no/such/file.geojson'])).err).toMatch(/'--network' cannot read/);
  });

  it('checks incidents against the network', async () => {
    const r = await runCli(['--incident', 'NOPE@2026-03-10T07:00:00Z/10']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/'--incident' unknown segment "NOPE"/);
  });

  it('refuses an --out it cannot write', async () => {
    const r = await runCli(['--out', '/no/such/dir/d.ndjson']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/'--out' cannot write/);
  });

  it('writes NDJSON in contract field order to --out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simulate-'));
    const out = join(dir, 'd.ndjson');
    const r = await runCli(['--seed', '7', '--minutes', '1', '--start', '2026-03-10T06:50:00Z', '--out', out, '--no-progress']);
    expect(r).toEqual({ code: 0, err: '' });
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(500);
    const first = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(Object.keys(first)).toEqual(['detectorId', 'lane', 'ts', 'speedKmh', 'lengthM', 'occupancyMs', 'seq']);
    const ts = lines.map((l) => (JSON.parse(l) as { ts: number }).ts);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    rmSync(dir, { recursive: true });
  });
});

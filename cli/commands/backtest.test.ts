/** `saferoads backtest`, run in-process as the CLI runs it. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommanderError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { backtestCommand } from './backtest.js';

const dir = mkdtempSync(join(tmpdir(), 'backtest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const cmd = backtestCommand((t) => (out += t), (t) => (err += t))
    .exitOverride()
    .configureOutput({ writeErr: (s) => (err += s), writeOut: () => {} });
  try {
    await cmd.parseAsync(args, { from: 'user' });
    return { code: 0, out, err };
  } catch (e) {
    return { code: (e as CommanderError).exitCode, out, err };
  }
}

describe('saferoads backtest', () => {
  // Four rows by hand: flow alone differs; two positives.
  const data = join(dir, 'rows.csv');
  writeFileSync(data, ['run,segmentId,windowEndMs,flowVehH_1m,label,oracleRisk,hazardNow', 'r,A,60000,200,0,0.1,0.001', 'r,B,60000,2400,1,0.3,0.02', 'r,C,60000,1200,0,0.2,0.01', 'r,D,60000,3000,1,0.25,0.03', ''].join('\n'));

  it('prints the metrics as JSON with --json, and writes them with --out', async () => {
    const outFile = join(dir, 'm.json');
    const r = await runCli(['--data', data, '--json', '--bins', '2', '--out', outFile]);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.out) as { rows: number; modelVersion: string; oracle: { rocAuc: number; calibration: unknown[] }; aucRatio: number; model: { positives: number } };
    expect(m).toMatchObject({ rows: 4, modelVersion: 'risk-v1', model: { positives: 2 }, oracle: { rocAuc: 1 } });
    expect(m.oracle.calibration).toHaveLength(2);
    expect(JSON.parse(readFileSync(outFile, 'utf8'))).toEqual(m);
    expect(r.err).toContain(`backtest: ${data}: 4 rows, 0 lines refused; no column for `);
  });

  it('gives the bootstrap intervals in the JSON, by segment-days by default, by rows with --resample-by row, none with --resamples 0', async () => {
    type Out = { aucBootstrap?: { by: string; units: number; strata: number[]; seed: number; resamples: number; ratio: { estimate: number; low: number; high: number } }; aucRatioTarget?: object };
    const byDay = JSON.parse((await runCli(['--data', data, '--json', '--quiet'])).out) as Out;
    // Four segments of one run: four segment-days of one row, two holding a crash.
    expect(byDay.aucBootstrap).toMatchObject({ by: 'cluster', units: 4, strata: [2, 2], seed: 1, resamples: 1000 });
    expect(byDay.aucRatioTarget).toEqual({ target: 0.95, estimateClears: false, lowerBoundClears: false });
    const byRow = JSON.parse((await runCli(['--data', data, '--json', '--quiet', '--resample-by', 'row', '--resamples', '200', '--seed', '7'])).out) as Out;
    expect(byRow.aucBootstrap).toMatchObject({ by: 'row', units: 4, strata: [2, 2], seed: 7, resamples: 200 });
    // One row a unit: the same draws either way.
    expect(JSON.parse((await runCli(['--data', data, '--json', '--quiet', '--seed', '7', '--resamples', '200'])).out)).toMatchObject({ aucBootstrap: { ratio: byRow.aucBootstrap!.ratio } });
    const none = JSON.parse((await runCli(['--data', data, '--json', '--quiet', '--resamples', '0'])).out) as Out;
    expect([none.aucBootstrap, none.aucRatioTarget]).toEqual([undefined, undefined]);
  });

  it('prints the model card\'s table by default', async () => {
    const r = await runCli(['--data', data, '--quiet']);
    expect(r.out.split('\n').slice(0, 4)).toEqual([
      '4 rows, 2 positive',
      '',
      `${'metric'.padEnd(38)}  the model (risk-v1)  true hazard, next 15 min (oracle)  true hazard of the scored minute`,
      expect.stringMatching(/^ROC AUC\s+0\.7500\s+1\.0000\s+1\.0000$/),
    ]);
    expect(r.out).toMatch(/^ROC AUC, 95 % interval\s+0\.5000-1\.0000\s+1\.0000-1\.0000\s+-$/m);
    expect(r.out).toContain('model AUC / oracle AUC = 0.7500, 95 % interval 0.5000-1.0000: the target of at least 0.95 is not met\n');
    expect(r.out).toContain('intervals: 95 %, percentiles of 1,000 of 1,000 paired resamples of the 4 whole segment-days, those holding a crash and those without (2 and 2) drawn apart, seed 1\n');
    expect(r.err).toBe('');
  });

  it.each([
    [[], 'give either --data or --stats (with --crashes)'],
    [['--stats', 's.ndjson'], "option '--stats' needs --crashes"],
    [['--data', data, '--crashes', 'c.csv'], "option '--crashes' goes with --stats"],
    [['--data', join(dir, 'none.csv')], 'ENOENT'],
    [['--data', data, '--bins', '0'], '--bins must be between 1 and 1000, got 0'],
    [['--data', data, '--resamples', '-1'], '--resamples must be between 0 and 100000, got -1'],
    [['--data', data, '--seed', '1.5'], '--seed must be a whole number, got 1.5'],
    [['--data', data, '--resample-by', 'segment'], "option '--resample-by <unit>' argument 'segment' is invalid. Allowed choices are segment-day, row."],
  ])('refuses %j', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(message);
  });
});

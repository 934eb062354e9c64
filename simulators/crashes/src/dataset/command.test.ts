/** `saferoads dataset`, run in-process as the CLI runs it. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { CommanderError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetCommand } from '../../../../cli/commands/dataset.js';

const dir = mkdtempSync(join(tmpdir(), 'dataset-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function runCli(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const cmd = datasetCommand()
    .exitOverride()
    .configureOutput({ writeErr: (s) => (err += s), writeOut: () => {} });
  try {
    await cmd.parseAsync(args, { from: 'user' });
    return { code: 0, err };
  } catch (e) {
    return { code: (e as CommanderError).exitCode, err };
  }
}

describe('saferoads dataset', () => {
  it('writes a gzip-compressed CSV when --out ends in .gz', async () => {
    const out = join(dir, 'd.csv.gz');
    expect(await runCli(['--runs', '1', '--minutes', '40', '--seed', '5', '--out', out, '--quiet'])).toEqual({ code: 0, err: '' });
    const lines = gunzipSync(readFileSync(out)).toString('utf8').trimEnd().split('\n');
    expect(lines[0].startsWith('run,segmentId,windowEndMs,flowVehH_1m,')).toBe(true);
    expect(lines[0].endsWith(',freezingRisk,hazardNow,oracleRisk,crashesAhead,label')).toBe(true);
    // Minutes 9 .. 24 of 40 have rows.
    expect(lines).toHaveLength(1 + 72 * 16);
    expect(lines[1].startsWith('5-0,')).toBe(true);
  });

  it('writes the crash list with --crashes-out, one line per crash the rows count', async () => {
    const out = join(dir, 'd.csv');
    const crashes = join(dir, 'crashes.csv');
    expect(await runCli(['--runs', '1', '--minutes', '40', '--seed', '5', '--out', out, '--crashes-out', crashes, '--quiet'])).toEqual({ code: 0, err: '' });
    const list = readFileSync(crashes, 'utf8').trimEnd().split('\n');
    expect(list[0]).toBe('run,segmentId,time,timeMs,hazard');
    const rows = readFileSync(out, 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(','));
    // Each crash labels the rows of its segment in the 15 minutes before it.
    for (const line of list.slice(1)) {
      const [run, seg, iso, ms] = line.split(',');
      expect(run).toBe('5-0');
      expect(new Date(iso).getTime()).toBe(Number(ms));
      const before = rows.filter((r) => r[1] === seg && Number(r[2]) <= Number(ms) && Number(r[2]) > Number(ms) - 15 * 60_000);
      expect(before.every((r) => r.at(-1) === '1')).toBe(true);
    }
    expect(list.length).toBeGreaterThan(1);
  });

  it('turns recorded stats into rows with --from-stats', async () => {
    const stats = join(dir, 'stats.ndjson');
    const rec = { segmentId: 'A13-N-010', window: '1m', windowStartMs: 1_773_126_000_000, windowEndMs: 1_773_126_060_000, count: 20, flowVehH: 1200, meanSpeedKmh: 95, harmonicMeanSpeedKmh: 94, speedStdKmh: 9, speedCv: 0.095, p85SpeedKmh: 104, shareOverLimit: 0.2, meanGapS: 2.5, minGapS: 0.6, shareGapUnder1s: 0.1, shareGapUnder2s: 0.3, occupancy: 0.04, truckShare: 0.2, laneSpeedSpreadKmh: 8, densityVehKm: 12.8, lateCount: 0 };
    writeFileSync(stats, JSON.stringify(rec) + '\n' + JSON.stringify({ ...rec, segmentId: 'A13-N-011' }) + '\n');
    const out = join(dir, 'features.csv');
    expect(await runCli(['--from-stats', stats, '--out', out, '--quiet'])).toEqual({ code: 0, err: '' });
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1].startsWith('history,A13-N-010,1773126060000,1200,95,94,9,0.095,104,')).toBe(true);
  });

  it.each([
    [['--from-stats', 'x.ndjson', '--runs', '3'], "option '--from-stats' reads recorded data: --runs only apply to simulated data"],
    [['--weather', 'w.ndjson'], "option '--weather' goes with --from-stats"],
    [['--part', '3/2'], '--part must be i/n with 1 <= i <= n, e.g. 1/2, got "3/2"'],
    [['--minutes', '10'], '--minutes must be between 30 and 10080, got 10'],
    [['--runs', 'many'], '--runs must be a number, got "many"'],
  ])('refuses %j', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(message);
  });
});

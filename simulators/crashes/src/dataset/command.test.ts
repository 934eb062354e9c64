/** `saferoads dataset`, run in-process as the CLI runs it. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

  it.each([
    [['--part', '3/2'], '--part must be i/n with 1 <= i <= n, e.g. 1/2, got "3/2"'],
    [['--minutes', '10'], '--minutes must be between 30 and 10080, got 10'],
    [['--runs', 'many'], '--runs must be a number, got "many"'],
  ])('refuses %j', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(message);
  });
});

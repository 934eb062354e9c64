import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadFeatureSpec } from '@saferoads/model-spec';
import { loadNetwork } from '@saferoads/shared/network';
import { KEY_COLUMNS, TRUTH_COLUMNS, generateDataset } from './index.js';

const network = loadNetwork();
const spec = loadFeatureSpec();

async function csv(o: { runs: number; minutes: number; part?: { index: number; count: number } }): Promise<{ text: string; summary: Awaited<ReturnType<typeof generateDataset>> }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const summary = await generateDataset({ network, spec, seed: 3, ...o, out });
  out.end();
  return { text: Buffer.concat(chunks).toString('utf8'), summary };
}

const table = (text: string) => {
  const [head, ...lines] = text.trimEnd().split('\n');
  const cols = head.split(',');
  return { cols, rows: lines.map((l) => Object.fromEntries(l.split(',').map((v, k) => [cols[k], k < 2 ? v : Number(v)])) as Record<string, number> & { run: string; segmentId: string }) };
};

describe('generateDataset', async () => {
  const { text, summary } = await csv({ runs: 1, minutes: 45 });
  const { cols, rows } = table(text);

  it('writes the key columns, the spec\'s features in order, then the truth columns', () => {
    expect(cols).toEqual([...KEY_COLUMNS, ...spec.features.map((f) => f.name), ...TRUTH_COLUMNS]);
  });

  it('has a row per segment for each minute from the first 10-minute window to 15 minutes before the end', () => {
    // Minutes 9 .. 29 of 45: the first 10-minute window ends at minute 10, the last label needs minutes up to 45.
    expect(rows).toHaveLength(72 * 21);
    expect(summary).toMatchObject({ runs: 1, rows: 72 * 21, minutes: 45, rateScale: 200, horizonMinutes: 15, specVersion: '1.0.0' });
    const ends = [...new Set(rows.map((r) => r.windowEndMs))];
    expect(ends).toHaveLength(21);
    expect(ends[1] - ends[0]).toBe(60_000);
  });

  it('labels a row 1 exactly when a crash follows within 15 minutes, with the oracle\'s probability beside it', () => {
    expect(rows.every((r) => r.label === (r.crashesAhead > 0 ? 1 : 0))).toBe(true);
    expect(rows.every((r) => r.oracleRisk > 0 && r.oracleRisk < 1 && r.hazardNow >= 0)).toBe(true);
    expect(summary.positives).toBe(rows.filter((r) => r.label === 1).length);
  });

  it('builds features consistently: differences of its own columns, neighbour flags from the topology', () => {
    for (const r of rows) {
      if (r.harmonicMeanSpeedKmh_1m > 0 && r.harmonicMeanSpeedKmh_10m > 0) {
        expect(r.harmonicMeanSpeedKmh_1m_minus_10m).toBeCloseTo(r.harmonicMeanSpeedKmh_1m - r.harmonicMeanSpeedKmh_10m, 2);
      }
      const first = r.segmentId === 'A13-N-001' || r.segmentId === 'A13-S-001';
      expect(r.upstream_1m_present).toBe(first ? 0 : 1);
      expect(r.lengthM).toBeCloseTo(network.byId.get(r.segmentId)!.lengthM, 0);
    }
  });

  it('is byte-identical for the same seed, and two parts make the whole', async () => {
    const again = await csv({ runs: 1, minutes: 45 });
    expect(again.text).toBe(text);
    const whole = await csv({ runs: 2, minutes: 40 });
    const one = await csv({ runs: 2, minutes: 40, part: { index: 1, count: 2 } });
    const two = await csv({ runs: 2, minutes: 40, part: { index: 2, count: 2 } });
    const body = (t: string) => t.slice(t.indexOf('\n') + 1);
    expect(body(one.text) + body(two.text)).toBe(body(whole.text));
    expect(one.summary.runs + two.summary.runs).toBe(2);
  });

  it('refuses a bad part', async () => {
    await expect(csv({ runs: 2, minutes: 40, part: { index: 3, count: 2 } })).rejects.toThrow('part must be i/n with 1 <= i <= n, got 3/2');
  });
});

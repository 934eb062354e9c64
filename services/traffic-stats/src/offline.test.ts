import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { TrafficStats } from '@saferoads/shared/contracts';
import { runOfflineStats } from './offline.js';
import { tinyNetwork } from './testing/tiny-network.js';

const network = tinyNetwork([{ id: 'S1', lanes: 2, speedLimitKmh: 100 }]);
const T0 = Date.UTC(2026, 2, 10, 7, 0, 0);

function collect(stream: PassThrough): () => string[] {
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return () => chunks.join('').split('\n').filter((l) => l.length > 0);
}

describe('saferoads stats offline runner', () => {
  it('keeps valid lines beside invalid ones, reports each refused line with its reasons, and keeps late ones', async () => {
    const d = (ts: number, seq: number, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ detectorId: 'S1-L1', lane: 1, ts, speedKmh: 90, lengthM: 4.5, seq, ...extra });
    const lines = [
      d(T0 + 1_000, 0),
      'not json',
      d(T0 + 2_000, 1, { lengthM: 'long' }),
      '',
      d(T0 + 3_000, 2, { detectorId: 'ZZ-L1' }),
      d(T0 + 90_000, 3), // watermark 85 s: minute 0 closes at 70 s
      d(T0 + 4_000, 4), // late
      d(T0 + 95_000, 5),
    ];
    const out = new PassThrough();
    const dlq = new PassThrough();
    const late = new PassThrough();
    const [outLines, dlqLines, lateLines] = [collect(out), collect(dlq), collect(late)];
    const report = await runOfflineStats({
      network,
      input: Readable.from([lines.join('\n').slice(0, 50), lines.join('\n').slice(50)]),
      output: out,
      deadLetters: dlq,
      lateOut: late,
    });
    expect(report).toMatchObject({ lines: 8, invalid: 3, accepted: 3, late: 1, records: 2 });
    expect(dlqLines().map((l) => JSON.parse(l) as { line: number; errors: unknown[] })).toEqual([
      { line: 2, errors: [{ field: '(record)', reason: expect.stringMatching(/^not valid JSON/) }], raw: 'not json' },
      { line: 3, errors: [{ field: 'lengthM', reason: 'must be number' }], raw: lines[2] },
      { line: 5, errors: [{ field: 'detectorId', reason: 'unknown detector "ZZ-L1" (not in the road network)' }], raw: lines[4] },
    ]);
    expect(lateLines().map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([4]);
    const stats = outLines().map((l) => JSON.parse(l) as TrafficStats);
    expect(stats.map((s) => [s.window, (s.windowEndMs - T0) / 60_000, s.count, s.lateCount])).toEqual([
      ['1m', 1, 1, 0],
      ['1m', 2, 2, 1],
    ]);
  });
});

import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LoopSimulator } from '@saferoads/loop-sensor';
import { loadFeatureSpec } from '@saferoads/model-spec';
import { encodeTrafficStats, type TrafficStats } from '@saferoads/shared/contracts';
import { loadNetwork } from '@saferoads/shared/network';
import { TrafficStatsStage } from '@saferoads/traffic-stats/stage';
import { WeatherSimulator } from '@saferoads/weather-sim';
import { STATS_FIELDS } from '@saferoads/model-spec';
import { generateDataset } from './index.js';
import { historyFeatures, splitCsvLine, type HistoryOptions } from './history.js';
import { planRuns } from './plan.js';

const network = loadNetwork();
const spec = loadFeatureSpec();
const MINUTES = 40;
// Seed 6's first run (a cold February evening with an incident) has no weather-station outage: the recorded weather is every reading.
const SEED = 6;
const [plan] = planRuns({ network, seed: SEED, runs: 1, minutes: MINUTES });

async function text(run: (out: PassThrough) => Promise<unknown>): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await run(out);
  out.end();
  return Buffer.concat(chunks).toString('utf8');
}

/** What a road authority would have recorded of the same run: its stats records and its stations' readings. */
function recorded(): { stats: TrafficStats[]; weather: string } {
  const weatherOpts = { network, seed: plan.seed, startMs: plan.startMs, minutes: plan.minutes, temperatureOffsetC: plan.temperatureOffsetC };
  const stats: TrafficStats[] = [];
  const stage = new TrafficStatsStage({ network, sink: { stats: (r) => stats.push(r), late: () => {}, rejected: () => {} } });
  const sim = new LoopSimulator({ network, seed: plan.seed, startMs: plan.startMs, minutes: plan.minutes, demandFactor: plan.demandFactor, incidents: plan.incidents, weather: new WeatherSimulator(weatherOpts).effects() });
  for (const b of sim.batches()) for (const d of b.detections) stage.process(d, 0);
  stage.flush();
  const weather = [...new WeatherSimulator(weatherOpts).batches()].flatMap((b) => b.observations.map((o) => JSON.stringify(o))).join('\n') + '\n';
  return { stats, weather };
}

const toCsv = (records: readonly TrafficStats[]) => {
  const cols = ['segmentId', 'window', 'windowStartMs', 'windowEndMs', ...STATS_FIELDS];
  return [cols.join(','), ...records.map((r) => cols.map((c) => String((r as Record<string, unknown>)[c] ?? '')).join(','))].join('\n') + '\n';
};

const history = (o: Partial<HistoryOptions> & Pick<HistoryOptions, 'stats' | 'statsFormat'>) =>
  text((out) => historyFeatures({ network, spec, out, ...o }));

const byKey = (csv: string, features: number) => {
  const [, ...lines] = csv.trimEnd().split('\n');
  return new Map(lines.map((l) => {
    const cells = l.split(',');
    return [`${cells[1]}@${cells[2]}`, cells.slice(3, 3 + features).join(',')];
  }));
};

describe('historyFeatures', async () => {
  expect(plan.stationOutage).toBeNull();
  const { stats, weather } = recorded();
  const ndjson = stats.map(encodeTrafficStats).join('\n') + '\n';
  const fromNdjson = await history({ stats: Readable.from([ndjson]), statsFormat: 'ndjson', weather: Readable.from([weather]), weatherFormat: 'ndjson' });

  it('gives the simulated dataset\'s very features from the recorded stats and weather of the same run', async () => {
    const simulated = byKey(await text((out) => generateDataset({ network, spec, seed: SEED, runs: 1, minutes: MINUTES, out })), spec.features.length);
    const fromRecords = byKey(fromNdjson, spec.features.length);
    expect(simulated.size).toBe(72 * (MINUTES - 9 - 15));
    for (const [key, row] of simulated) expect([key, fromRecords.get(key)]).toEqual([key, row]);
    // Every minute with a 1-minute record has a row: the first nine without 10-minute windows too.
    expect(fromRecords.size).toBe(72 * MINUTES);
  });

  it('reads the same records from CSV (empty cells are null)', async () => {
    const fromCsv = await history({ stats: Readable.from([toCsv(stats)]), statsFormat: 'csv', weather: Readable.from([weather]), weatherFormat: 'ndjson' });
    expect(fromCsv).toBe(fromNdjson);
  });

  it('refuses bad records and unknown segments, counting them, and skips records too far out of order', async () => {
    const good = stats.filter((r) => r.windowEndMs <= plan.startMs + 12 * 60_000);
    const lines = [
      ...good.map(encodeTrafficStats),
      'not json',
      JSON.stringify({ ...good[0], segmentId: 'X-9' }),
      JSON.stringify({ ...good[0], count: -1 }),
      // A minute already written.
      encodeTrafficStats(good[0]),
    ];
    const out: string[] = [];
    const report = await historyFeatures({ network, spec, stats: Readable.from([lines.join('\n')]), statsFormat: 'ndjson', out: new PassThrough().on('data', (c: Buffer) => out.push(c.toString())) });
    expect(report).toMatchObject({ statsRecords: good.length + 4, invalid: 3, outOfOrder: 1, minutes: 12, rows: 72 * 12, weatherRecords: 0 });
    expect(report.problems).toEqual([
      `stats line ${good.length + 1}: (record): not JSON: Unexpected token 'o', "not json" is not valid JSON`,
      `stats line ${good.length + 2}: segmentId: unknown segment "X-9" (not in the road network)`,
      `stats line ${good.length + 3}: count: must be >= 0`,
    ]);
  });
});

describe('splitCsvLine', () => {
  it.each<[string, string[]]>([
    ['a,b,,c', ['a', 'b', '', 'c']],
    ['"A13-N-001",1m,"say ""hi"", then"', ['A13-N-001', '1m', 'say "hi", then']],
    ['', ['']],
    ['x,', ['x', '']],
  ])('%s', (line, cells) => expect(splitCsvLine(line)).toEqual(cells));

  it('refuses an unterminated quote', () => {
    expect(() => splitCsvLine('"open,1')).toThrow('unterminated quoted field');
  });
});

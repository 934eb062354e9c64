/** `saferoads score`, run in-process as the CLI runs it, against RiskPipeline called directly. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { CommanderError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { ContextFeatureAssembler, InMemoryWeatherTable } from '@saferoads/context';
import { LoopSimulator } from '@saferoads/loop-sensor';
import { RiskPipeline } from '@saferoads/risk-scorer';
import { toRiskAlert, toRiskScore } from '@saferoads/risk-scorer/bus';
import { encodeTrafficStats, riskScoreValidator, type RiskAlert, type RiskScore, type TrafficStats, type WeatherObservation } from '@saferoads/shared/contracts';
import { loadNetwork } from '@saferoads/shared/network';
import { TrafficStatsStage } from '@saferoads/traffic-stats/stage';
import { WeatherSimulator } from '@saferoads/weather-sim';
import { loadRiskModel } from '../risk-model.js';
import { scoreCommand } from './score.js';

const dir = mkdtempSync(join(tmpdir(), 'score-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const network = loadNetwork();
const MINUTES = 16;
// A wet January morning with a lane closed: something for the scores to show.
const run = { network, seed: 11, startMs: Date.parse('2026-01-20T06:30:00Z'), minutes: MINUTES };

/** A short simulated run as a road authority records it: stats records and weather readings. */
function recorded(): { stats: TrafficStats[]; weather: WeatherObservation[] } {
  const stats: TrafficStats[] = [];
  const stage = new TrafficStatsStage({ network, sink: { stats: (r) => stats.push(r), late: () => {}, rejected: () => {} } });
  const sim = new LoopSimulator({ ...run, weather: new WeatherSimulator(run).effects(), incidents: [{ segmentId: 'A13-N-020', startMs: run.startMs + 2 * 60_000, durationMin: 30, lanesBlocked: 1 }] });
  for (const b of sim.batches()) for (const d of b.detections) stage.process(d, 0);
  stage.flush();
  const weather = [...new WeatherSimulator(run).batches()].flatMap((b) => b.observations);
  return { stats, weather };
}

/** What RiskPipeline gives for the same records, called directly: readings taken before each minute's end in the table. */
async function inProcess(stats: readonly TrafficStats[], weather: readonly WeatherObservation[]): Promise<{ scores: RiskScore[]; alerts: RiskAlert[] }> {
  const { spec, slot } = await loadRiskModel({});
  const table = new InMemoryWeatherTable();
  const p = new RiskPipeline({ network, spec, assembler: new ContextFeatureAssembler(network), weather: table, model: slot });
  const scores: RiskScore[] = [];
  const alerts: RiskAlert[] = [];
  let w = 0;
  for (const minute of [...stats.flatMap((r) => p.add(r, 0).emitted), ...p.flush()]) {
    while (w < weather.length && weather[w].ts < minute.windowEndMs) table.upsert(weather[w++]);
    const s = await p.score(minute);
    // Through JSON, as written (a -0 becomes 0).
    scores.push(...s.scores.map((x) => JSON.parse(JSON.stringify(toRiskScore(x))) as RiskScore));
    alerts.push(...s.alerts.map((e) => JSON.parse(JSON.stringify(toRiskAlert(e, slot.current.version))) as RiskAlert));
  }
  return { scores, alerts };
}

async function runCli(args: string[], stdin: string): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  let err = '';
  const cmd = scoreCommand({ stdin: () => Readable.from([stdin]), stdout, stderr: (t) => (err += t) })
    .exitOverride()
    .configureOutput({ writeErr: (s) => (err += s), writeOut: () => {} });
  try {
    await cmd.parseAsync(args, { from: 'user' });
    return { code: 0, out: Buffer.concat(chunks).toString('utf8'), err };
  } catch (e) {
    return { code: (e as CommanderError).exitCode, out: Buffer.concat(chunks).toString('utf8'), err };
  }
}

const ndjson = (xs: readonly unknown[]) => xs.map((x) => JSON.stringify(x)).join('\n') + '\n';
const parseLines = <T>(text: string): T[] => text.trimEnd().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as T);

describe('saferoads score', async () => {
  const { stats, weather } = recorded();
  const weatherFile = join(dir, 'weather.ndjson');
  writeFileSync(weatherFile, ndjson(weather));
  const want = await inProcess(stats, weather);

  it('gives exactly what RiskPipeline gives in-process: every score of every segment and minute, and the alerts', async () => {
    const alertsFile = join(dir, 'alerts.ndjson');
    const r = await runCli(['--weather', weatherFile, '--alerts', alertsFile, '--quiet'], stats.map(encodeTrafficStats).join('\n') + '\n');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const got = parseLines<RiskScore>(r.out);
    expect(got).toHaveLength(72 * MINUTES);
    expect(got.every((s) => riskScoreValidator.check(s).ok)).toBe(true);
    expect(got).toEqual(want.scores);
    expect(parseLines<RiskAlert>(readFileSync(alertsFile, 'utf8'))).toEqual(want.alerts);
    // The weather reached the rows: the run is wet (the test would be blind if it were not).
    expect(weather.some((o) => o.precipitationMmH > 0)).toBe(true);
  });

  it('reports bad lines with line, field and reason, and scores the valid records beside them', async () => {
    const lines = stats.map(encodeTrafficStats);
    const bad = [
      // The first minute (144 records) is complete and scored at once; the second is open.
      ...lines.slice(0, 150),
      'not json',
      JSON.stringify({ ...stats[0], segmentId: 'X-9' }),
      JSON.stringify({ ...stats[1], count: -1 }),
      '',
      lines[0],
      lines[145],
      ...lines.slice(150),
    ];
    const r = await runCli([], bad.join('\n') + '\n');
    expect(r.code).toBe(0);
    expect(r.err.split('\n').slice(0, 5)).toEqual([
      `score: stats line 151: (record): not valid JSON: Unexpected token 'o', "not json" is not valid JSON`,
      'score: stats line 152: segmentId: unknown segment "X-9" (not in the road network)',
      'score: stats line 153: count: must be >= 0',
      `score: stats line 155: windowEndMs: minute ${new Date(stats[0].windowEndMs).toISOString()} was already scored: the record came too late`,
      `score: stats line 156: (record): a second ${stats[145].window} record of ${stats[145].segmentId} for ${new Date(stats[145].windowEndMs).toISOString()}: skipped`,
    ]);
    expect(r.err).toMatch(new RegExp(`^score: ${lines.length + 5} lines, 3 refused, 1 too late, 1 duplicates; ${MINUTES} minutes \\(${new Set(want.scores.filter((s) => !s.complete).map((s) => s.windowEndMs)).size} with something missing\\), ${72 * MINUTES} scores, \\d+ alert events, model risk-v1, in `, 'm'));
    // Without the weather file: the same records, so the same scores as a clean run without weather.
    const clean = await runCli(['--quiet'], lines.join('\n') + '\n');
    expect(parseLines<RiskScore>(r.out)).toEqual(parseLines<RiskScore>(clean.out));
  });

  it('writes features by name with --features, and explains only from --factors-min-level up', async () => {
    const input = stats.filter((s) => s.windowEndMs <= run.startMs + 12 * 60_000).map(encodeTrafficStats).join('\n') + '\n';
    const r = await runCli(['--features', '--factors-min-level', 'severe', '--quiet'], input);
    const got = parseLines<RiskScore>(r.out);
    expect(Object.keys(got[0].features ?? {})).toHaveLength(89);
    expect(got.filter((s) => s.level !== 'severe').every((s) => s.factors.length === 0)).toBe(true);
  });

  // Commander's own refusals exit 2 from the real CLI (its exitOverride); in-process they throw with 1.
  it.each([
    [['--factors-min-level', 'extreme'], "option '--factors-min-level <level>' argument 'extreme' is invalid. Allowed choices are low, elevated, high, severe.", 1],
    [['--top-factors', '30'], '--top-factors must be between 0 and 20, got 30', 1],
    [['--weather', '/nonexistent/w.ndjson'], "option '--weather': ENOENT", 2],
    [['--model', join(dir, 'missing.onnx')], `model ${join(dir, 'missing.onnx')} refused: cannot read the metadata`, 1],
  ])('refuses %j', async (args, message, code) => {
    const r = await runCli(args, '');
    expect(r.code).toBe(code);
    expect(r.err).toContain(message);
  });
});

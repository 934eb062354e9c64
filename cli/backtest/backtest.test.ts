import { readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { generateDataset, planRuns } from '@saferoads/crashes/dataset';
import { LoopSimulator } from '@saferoads/loop-sensor';
import { aucBootstrap, scoreMetrics, type AucBootstrap, type ScoreMetrics } from '@saferoads/risk-scorer/offline';
import { encodeTrafficStats, type TrafficStats } from '@saferoads/shared/contracts';
import { loadNetwork } from '@saferoads/shared/network';
import { TrafficStatsStage } from '@saferoads/traffic-stats/stage';
import { WeatherSimulator } from '@saferoads/weather-sim';
import { loadRiskModel } from '../risk-model.js';
import { crashesAhead, crashTime, readCrashList } from './crashes.js';
import { backtest, segmentDay } from './run.js';

/**
 * The fixture: `saferoads dataset --seed 5 --runs 1 --minutes 40` (1,152 rows) scored by
 * models/risk-v1.onnx in onnxruntime-node, as label,risk,oracleRisk,hazardNow; and what
 * models/training/saferoads_risk/metrics.py's score_metrics (numpy 2.4.6, scikit-learn 1.9.1)
 * reports for the model, the oracle and the true hazard of the scored minute on it.
 */
const fixture = readFileSync(new URL('./fixtures/scored-5-40min.csv', import.meta.url), 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(',').map(Number));
const python = JSON.parse(readFileSync(new URL('./fixtures/scored-5-40min.train-py.json', import.meta.url), 'utf8')) as Record<'model' | 'oracle' | 'stateNow', ScoreMetrics>;
const column = (k: number) => fixture.map((r) => r[k]);
/** models/training/saferoads_risk/bootstrap.py's auc_bootstrap on the same file: by rows, and by clusters of 8 consecutive rows. */
const pythonBootstrap = JSON.parse(readFileSync(new URL('./fixtures/scored-5-40min.bootstrap-py.json', import.meta.url), 'utf8')) as Record<'rows' | 'clustersOf8', AucBootstrap>;

/** Every number of `got` within `digits` of train.py's, every key the same. */
function expectNumbers(got: unknown, want: unknown, digits: number): void {
  if (typeof want === 'number') {
    expect(typeof got).toBe('number');
    expect(got as number).toBeCloseTo(want, digits);
  } else if (Array.isArray(want)) {
    expect((got as unknown[]).length).toBe(want.length);
    want.forEach((w, i) => expectNumbers((got as unknown[])[i], w, digits));
  } else if (want !== null && typeof want === 'object') {
    expect(Object.keys(got as object).sort()).toEqual(Object.keys(want).sort());
    for (const [k, w] of Object.entries(want)) expectNumbers((got as Record<string, unknown>)[k], w, digits);
  } else expect(got).toEqual(want);
}

const network = loadNetwork();

describe('the metrics against train.py on the same small file', () => {
  it.each<['model' | 'oracle' | 'stateNow', number[]]>([
    ['model', column(1)],
    ['oracle', column(2)],
    ['stateNow', column(3).map((h) => -Math.expm1(-15 * h))],
  ])('%s: every figure as score_metrics reports it', (name, p) => {
    expectNumbers(scoreMetrics(column(0), p), python[name], 12);
  });
});

describe('the AUC bootstrap against train.py on the same small file', () => {
  it.each<['rows' | 'clustersOf8', number[] | undefined]>([
    ['rows', undefined],
    ['clustersOf8', column(0).map((_, i) => Math.floor(i / 8))],
  ])('%s: every number as auc_bootstrap gives it, to the last bit', (name, clusters) => {
    expect(aucBootstrap(column(0), { model: column(1), reference: column(2) }, { resamples: 1000, seed: 1, clusters })).toEqual(pythonBootstrap[name]);
  });
});

describe('segmentDay', () => {
  it.each<[string, string, number, string]>([
    ['1-3', 'A13-N-001', 0, '1-3\u0000A13-N-001'],
    // A simulated run is one day however the UTC dates fall.
    ['1-3', 'A13-N-001', 3 * 86_400_000, '1-3\u0000A13-N-001'],
    ['history', 'A13-N-001', 86_399_999, 'A13-N-001\u00000'],
    ['history', 'A13-N-001', 86_400_000, 'A13-N-001\u00001'],
    ['', 'A13-N-001', 86_400_000, 'A13-N-001\u00001'],
  ])('run %j, segment %s, window end %d: %j', (run, seg, end, key) => {
    expect(segmentDay(run, seg, end)).toBe(key);
  });
});

describe('backtest', async () => {
  const { spec, model } = await loadRiskModel({});

  it('on saferoads dataset\'s CSV: the model, the oracle and the true hazard, as train.py computes them', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await generateDataset({ network, spec, seed: 5, runs: 1, minutes: 40, out });
    out.end();
    const r = await backtest({ spec, model, source: { kind: 'dataset', inputs: [{ name: 'd.csv', stream: Readable.from([Buffer.concat(chunks)]) }] } });
    expect(r.rows).toBe(1152);
    expect(r.files[0].report).toEqual({ lines: 1153, rows: 1152, refused: 0, missingColumns: [], problems: [] });
    // The oracle and hazard columns are the file's: the same numbers. The model's answers come from onnxruntime on this machine.
    expectNumbers(r.oracle, python.oracle, 12);
    expectNumbers(r.stateNow, python.stateNow, 12);
    expectNumbers(r.model, python.model, 9);
    expect(r.aucRatio).toBeCloseTo(python.model.rocAuc! / python.oracle.rocAuc!, 9);
    // 1,152 rows of one run: 72 segment-days of 16 rows. The oracle's figures are the file's alone.
    expect(r.aucBootstrap).toMatchObject({ by: 'cluster', units: 72, seed: 1, resamples: 1000, used: 1000, level: 0.95 });
    const segments = network.segments.map((s) => s.id);
    expect(r.aucBootstrap!.strata[0] + r.aucBootstrap!.strata[1]).toBe(segments.length);
    expect(r.aucBootstrap!.reference!.estimate).toBeCloseTo(python.oracle.rocAuc!, 12);
    expect(r.aucBootstrap!.ratio!.estimate).toBeCloseTo(r.aucRatio!, 12);
    expect(r.aucRatioTarget).toEqual({ target: 0.95, estimateClears: r.aucRatio! >= 0.95, lowerBoundClears: r.aucBootstrap!.ratio!.low >= 0.95 });
  });

  it('refuses bad lines and takes defaults for missing columns and empty cells, scoring the rest', async () => {
    const header = 'segmentId,windowEndMs,flowVehH_1m,label';
    const csv = [header, 'A13-N-001,60000,1200,0', 'A13-N-002,60000,,1', 'A13-N-003,xx,5,0', 'A13-N-004,60000,fast,0', 'A13-N-005,60000,900,maybe', '"open,60000,1,0'].join('\n');
    const r = await backtest({ spec, model, source: { kind: 'dataset', inputs: [{ name: 'x.csv', stream: Readable.from([csv]) }] } });
    expect(r.rows).toBe(2);
    expect(r.files[0].report.missingColumns).toHaveLength(88);
    expect(r.files[0].report.problems).toEqual([
      'line 4: windowEndMs: "xx" is not epoch milliseconds',
      'line 5: flowVehH_1m: "fast" is not a number',
      'line 6: label: "maybe" is not 0 or 1',
      'line 7: not CSV: unterminated quoted field',
    ]);
    expect(r.oracle).toBeUndefined();
  });

  it('on a road authority\'s stats and crash list: rows as --from-stats builds them, labelled from the crashes, the last 15 minutes left out', async () => {
    const minutes = 40;
    const [plan] = planRuns({ network, seed: 5, runs: 1, minutes });
    const stats: TrafficStats[] = [];
    const stage = new TrafficStatsStage({ network, sink: { stats: (s) => stats.push(s), late: () => {}, rejected: () => {} } });
    const weatherOpts = { network, seed: plan.seed, startMs: plan.startMs, minutes, temperatureOffsetC: plan.temperatureOffsetC };
    const sim = new LoopSimulator({ network, seed: plan.seed, startMs: plan.startMs, minutes, demandFactor: plan.demandFactor, incidents: plan.incidents, weather: new WeatherSimulator(weatherOpts).effects() });
    for (const b of sim.batches()) for (const d of b.detections) stage.process(d, 0);
    stage.flush();
    // The simulated run's own crashes (saferoads dataset --crashes-out), one in ISO form.
    const crashes: string[] = ['run,segmentId,time,timeMs,hazard'];
    await generateDataset({ network, spec, seed: 5, runs: 1, minutes, out: new PassThrough().resume(), onCrash: (c) => crashes.push(`${c.run},${c.segmentId},${crashes.length === 1 ? new Date(c.minuteMs).toISOString() : c.minuteMs},${c.minuteMs},${c.hazard}`) });
    crashes.push('5-0,A13-N-001,yesterday,0,0');
    const r = await backtest({ spec, model, source: { kind: 'history', network, stats: Readable.from([stats.map(encodeTrafficStats).join('\n')]), statsFormat: 'ndjson', crashes: Readable.from([crashes.join('\n')]) } });
    // A row per segment and minute 1..40; those ending after minute 25 have no known future.
    expect(r.rows).toBe(72 * 25);
    expect(r.droppedAtEnd).toBe(72 * 15);
    expect(r.history?.crashes).toMatchObject({ crashes: crashes.length - 2, refused: 1, problems: [`crashes line ${crashes.length}: time: "yesterday" is neither epoch milliseconds nor ISO 8601 with an offset`] });
    // Positives counted by hand: a segment-minute ending at e is positive when a crash falls in [e, e + 15 min).
    const list = crashes.slice(1, -1).map((l) => l.split(',')).map(([, seg, , ms]) => ({ seg, ms: Number(ms) }));
    let positives = 0;
    for (const s of network.segments) {
      for (let m = 1; m <= 25; m++) {
        const e = plan.startMs + m * 60_000;
        if (list.some((c) => c.seg === s.id && c.ms >= e && c.ms < e + 15 * 60_000)) positives++;
      }
    }
    expect(r.model.positives).toBe(positives);
    expect(positives).toBeGreaterThan(0);
    expect(r.oracle).toBeUndefined();
    // History: segment-days are segments on a UTC date; the model's interval only (no oracle).
    const days = new Set(Array.from({ length: 25 }, (_, m) => Math.floor((plan.startMs + (m + 1) * 60_000) / 86_400_000))).size;
    expect(r.aucBootstrap).toMatchObject({ by: 'cluster', units: 72 * days, resamples: 1000 });
    expect(r.aucBootstrap!.model.estimate).toBeCloseTo(r.model.rocAuc!, 12);
    expect([r.aucBootstrap!.reference, r.aucBootstrap!.ratio, r.aucRatioTarget]).toEqual([undefined, undefined, undefined]);
  });
});

describe('crash lists', () => {
  it.each<[string, number | null]>([
    ['1773126060000', 1773126060000],
    ['2027-03-04T07:41:00+01:00', Date.UTC(2027, 2, 4, 6, 41)],
    ['2027-03-04T06:41:00.500Z', Date.UTC(2027, 2, 4, 6, 41, 0, 500)],
    // No offset: no instant (a local time is ambiguous).
    ['2027-03-04T07:41:00', null],
    ['2027-03-04', null],
    ['soon', null],
  ])('time %s', (cell, ms) => expect(crashTime(cell)).toBe(ms));

  it('counts the crashes in [end, end + horizon), as train.py labels them', async () => {
    const report = { lines: 0, crashes: 0, refused: 0, problems: [] };
    const list = await readCrashList(Readable.from(['segmentId,time\nS,1000\nS,500\nS,1600\nT,\n']), report);
    expect(report).toEqual({ lines: 5, crashes: 3, refused: 1, problems: ['crashes line 5: time: "" is neither epoch milliseconds nor ISO 8601 with an offset'] });
    expect([crashesAhead(list, 'S', 500, 1000), crashesAhead(list, 'S', 501, 1000), crashesAhead(list, 'S', 600, 1000), crashesAhead(list, 'S', 0, 500), crashesAhead(list, 'U', 0, 1e9)]).toEqual([2, 1, 1, 0, 0]);
  });
});

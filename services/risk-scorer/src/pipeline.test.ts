import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ContextFeatureAssembler, InMemoryWeatherTable } from '@saferoads/context';
import { loadFeatureSpec } from '@saferoads/model-spec';
import { linearScorer } from './model/function-scorer.js';
import { ModelSlot } from './model/model-slot.js';
import { loadOnnxModel } from './model/onnx-scorer.js';
import { RiskPipeline, type RiskPipelineOptions, type ScoredMinute } from './pipeline.js';
import { mergeNetwork, MINUTE_MS, stats, T0 } from './testing/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const spec = loadFeatureSpec();
const W = spec.features.length;
const col = (name: string) => spec.features.findIndex((f) => f.name === name);
const network = mergeNetwork();
const assembler = new ContextFeatureAssembler(network);
const onnx = new ModelSlot(await loadOnnxModel({ modelPath: join(FIXTURES, 'tiny-logistic.onnx') }, spec));
afterAll(() => onnx.close());

/** risk = 1/2 - speed/512 on the 1-minute space-mean speed; reference speed 128 km/h: baseline 1/4. */
function speedModel(): ModelSlot {
  const w = new Array<number>(W).fill(0);
  w[col('harmonicMeanSpeedKmh_1m')] = -1 / 512;
  const reference = Float32Array.from(spec.features, (f) => f.default);
  reference[col('harmonicMeanSpeedKmh_1m')] = 128;
  return new ModelSlot(linearScorer('speed-1', w, 0.5, reference));
}

function pipeline(model: ModelSlot, over: Partial<RiskPipelineOptions> = {}): RiskPipeline {
  return new RiskPipeline({ network, spec, assembler, weather: new InMemoryWeatherTable(), model, ...over });
}

/** Feeds minutes 1..n of all four segments (M at speedAt(m), the others at 98 km/h) and scores what the join lets out. */
async function runMinutes(p: RiskPipeline, minutes: number, speedAt: (m: number) => number): Promise<ScoredMinute[]> {
  const out: ScoredMinute[] = [];
  for (let m = 1; m <= minutes; m++) {
    const end = T0 + m * MINUTE_MS;
    for (const id of ['A', 'B', 'M', 'D']) {
      for (const w of ['1m', '10m'] as const) {
        const step = p.add(stats(id, w, end, id === 'M' ? { harmonicMeanSpeedKmh: speedAt(m) } : {}), m * 1_000);
        for (const minute of step.emitted) out.push(await p.score(minute));
      }
    }
  }
  return out;
}

describe('RiskPipeline: stats in, scores and alerts out', () => {
  it('on a model whose answer is known: the scores, levels and factors of every segment, and the alert sustained risk raises', async () => {
    const p = pipeline(speedModel(), { scores: { levels: { elevated: 1.25, high: 1.5, severe: 3 } }, alerts: { raiseAfterMinutes: 2 } });
    const out = await runMinutes(p, 3, () => 64);
    expect(out.map((s) => [(s.minute.windowEndMs - T0) / MINUTE_MS, s.minute.reason])).toEqual([
      [1, 'complete'],
      [2, 'complete'],
      [3, 'complete'],
    ]);
    // M at 64 km/h: 1/2 - 64/512 = 3/8, baseline 1/4: relative 1.5, high. The others at 98 km/h: 1/2 - 98/512, relative 1.234375, low.
    expect(out[0].scores.map((s) => [s.segmentId, s.risk, s.relativeRisk, s.level, s.factors])).toEqual([
      ['A', 0.30859375, 1.234375, 'low', [{ name: 'speed', share: 1 }]],
      ['B', 0.30859375, 1.234375, 'low', [{ name: 'speed', share: 1 }]],
      ['M', 0.375, 1.5, 'high', [{ name: 'speed', share: 1 }]],
      ['D', 0.30859375, 1.234375, 'low', [{ name: 'speed', share: 1 }]],
    ]);
    expect(out.map((s) => s.alerts.map((a) => `${a.segmentId} ${a.type} ${a.level}`))).toEqual([[], ['M raised high'], []]);
    expect(p.alerts.openAlert('M')?.raisedAtMs).toBe(T0 + 2 * MINUTE_MS);
  });

  it('through the ONNX model: one model version per minute, probabilities strictly inside (0, 1)', async () => {
    const out = await runMinutes(pipeline(onnx), 2, () => 40);
    const scores = out.flatMap((x) => x.scores);
    expect(scores).toHaveLength(8);
    for (const s of scores) {
      expect(s.modelVersion).toBe('tiny-logistic-1');
      expect(s.risk).toBeGreaterThan(0.001);
      expect(s.risk).toBeLessThan(0.999);
      expect(s.factors.length).toBeLessThanOrEqual(3);
    }
  });

  it('a replay of the same records gives the same scores and alerts, and so does a pipeline restored from a snapshot midway', async () => {
    const speed = (m: number) => (m % 5 < 3 ? 40 : 100);
    const opts = { scores: { levels: { elevated: 1.25, high: 1.5, severe: 3 } }, alerts: { raiseAfterMinutes: 2, resolveAfterMinutes: 2 } };
    const strip = (xs: ScoredMinute[]) => xs.map((x) => ({ scores: x.scores.map((s) => ({ ...s, features: [...s.features] })), alerts: x.alerts }));
    const model = speedModel();
    const whole = strip(await runMinutes(pipeline(model, opts), 10, speed));
    expect(strip(await runMinutes(pipeline(model, opts), 10, speed))).toEqual(whole);
    expect(whole.flatMap((x) => x.alerts.map((a) => a.type))).toEqual(['raised', 'resolved', 'raised', 'resolved']);

    const first = pipeline(model, opts);
    const head = strip(await runMinutes(first, 4, speed));
    const second = pipeline(model, opts);
    second.restore(JSON.parse(JSON.stringify(first.save())));
    const tail: ScoredMinute[] = [];
    for (const x of await runMinutes(second, 10, speed)) if (x.minute.windowEndMs > T0 + 4 * MINUTE_MS) tail.push(x);
    expect([...head, ...strip(tail)]).toEqual(whole);
  });
});

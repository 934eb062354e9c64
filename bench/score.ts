// The risk scorer on a country's network, one minute at a time, on one core: 40,000 segments'
// traffic-stats records (1m and 10m, as JSON, as they come off the bus) decoded and checked,
// joined with their neighbours, made into feature rows with the weather table, scored in one
// inference with factors (RiskPipeline.score, the runner's code), run through the alerts, and
// encoded as risk.scores and risk.alerts records handed to a bus sink.
//
//   node --import tsx bench/score.ts [segments=40000] [minutes=5] [configuration name part]
//
// Each configuration warms up on two minutes, then reports the median and worst of `minutes`
// minutes. onnxruntime runs with one intra-op thread (the service's setting). Inference alone
// is measured apart, in rows per second.
import { ContextFeatureAssembler, InMemoryWeatherTable } from '@saferoads/context';
import { loadFeatureSpec } from '@saferoads/model-spec';
import { loadOnnxModel, ModelSlot, RiskPipeline, type OnnxModel, type ScoresConfig } from '@saferoads/risk-scorer';
import { toRiskAlert, toRiskScore } from '@saferoads/risk-scorer/bus';
import type { BusRecord } from '@saferoads/shared/bus';
import { decodeJson, encodeTrafficStats, trafficStatsValidator } from '@saferoads/shared/contracts';
import { DEFAULT_MODEL_PATH } from '../cli/risk-model.js';
import { threadCpuSeconds } from './cpu-time.js';
import { countryNetwork, minuteStats, weatherAt } from './score-network.js';

const segments = Number(process.argv[2] ?? 40_000);
const minutes = Number(process.argv[3] ?? 5);
const WARMUP = 2;
const TARGET_MS = 500;
const START = Date.UTC(2026, 4, 12, 6, 0); // a Tuesday morning in May, 08:00 in Vienna

const t0 = performance.now();
const network = countryNetwork(segments);
const spec = loadFeatureSpec();
const assembler = new ContextFeatureAssembler(network);
const model: OnnxModel = await loadOnnxModel({ modelPath: DEFAULT_MODEL_PATH }, spec);
const setupSeconds = (performance.now() - t0) / 1000;
const names = spec.features.map((f) => f.name);

/** The bus sink: takes the records, counts them and their bytes (the producer's cost is Kafka's, measured in pipeline-e2e). */
const sink = { records: 0, bytes: 0, send(_topic: string, records: readonly BusRecord[]) {
  this.records += records.length;
  for (const r of records) this.bytes += r.value.length;
} };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => Math.round(x * 10) / 10;

interface Config {
  readonly name: string;
  readonly scores: Partial<ScoresConfig>;
  readonly includeFeatures: boolean;
}

async function runConfig(c: Config, measured: number) {
  const table = new InMemoryWeatherTable();
  const pipeline = new RiskPipeline({ network, spec, assembler, weather: table, model: new ModelSlot(model), scores: c.scores });
  const keep = c.includeFeatures ? names : undefined;
  const times = { decodeJoin: [] as number[], score: [] as number[], encode: [] as number[], total: [] as number[], cpu: [] as number[] };
  // The main thread's CPU time per stage: onnxruntime-node runs the inference on it (in a
  // setImmediate), so this is the one core's work, whatever else the machine runs meanwhile.
  const cpuStages = { decodeJoin: [] as number[], score: [] as number[], encode: [] as number[], total: [] as number[] };
  const counts = { scores: 0, alerts: 0, explained: 0, invalid: 0, levels: { low: 0, elevated: 0, high: 0, severe: 0 } };
  for (let m = 1; m <= WARMUP + measured; m++) {
    const end = START + m * 60_000;
    for (const o of weatherAt(network, end - 30_000)) table.upsert(o);
    // The records as the Kafka consumer gets them: bytes, made text by the bus (kafka-records.ts).
    const input = minuteStats(network, end).map((r) => Buffer.from(encodeTrafficStats(r), 'utf8'));
    const cpu0 = process.cpuUsage();
    const ta = threadCpuSeconds();
    const a = performance.now();
    const ready = [];
    for (const bytes of input) {
      const v = decodeJson(bytes.toString('utf8'), trafficStatsValidator);
      if (!v.ok) {
        counts.invalid++;
        continue;
      }
      ready.push(...pipeline.add(v.value, end).emitted);
    }
    const b = performance.now();
    const tb = threadCpuSeconds();
    const scored = [];
    for (const minute of ready) scored.push(await pipeline.score(minute));
    const c2 = performance.now();
    const tc = threadCpuSeconds();
    for (const s of scored) {
      sink.send('risk.scores', s.scores.map((x) => ({ key: x.segmentId, value: JSON.stringify(toRiskScore(x, keep)), timestamp: x.windowEndMs })));
      sink.send('risk.alerts', s.alerts.map((e) => ({ key: e.segmentId, value: JSON.stringify(toRiskAlert(e, model.version)), timestamp: e.windowEndMs })));
    }
    const d = performance.now();
    const td = threadCpuSeconds();
    const cpu = process.cpuUsage(cpu0);
    if (ready.length !== 1 || ready[0].segments.length !== segments) throw new Error(`minute ${m}: expected one minute of ${segments} segments, got ${ready.map((x) => x.segments.length).join(', ')}`);
    if (m <= WARMUP) continue;
    times.decodeJoin.push(b - a);
    times.score.push(c2 - b);
    times.encode.push(d - c2);
    times.total.push(d - a);
    times.cpu.push((cpu.user + cpu.system) / 1000);
    cpuStages.decodeJoin.push((tb - ta) * 1000);
    cpuStages.score.push((tc - tb) * 1000);
    cpuStages.encode.push((td - tc) * 1000);
    cpuStages.total.push((td - ta) * 1000);
    for (const s of scored) {
      counts.scores += s.scores.length;
      counts.alerts += s.alerts.length;
      for (const x of s.scores) {
        counts.levels[x.level]++;
        if (x.factors.length > 0) counts.explained++;
      }
    }
  }
  return {
    config: c.name,
    factorsMinLevel: c.scores.factorsMinLevel ?? 'low',
    includeFeatures: c.includeFeatures,
    minutes: measured,
    medianMs: ms(median(times.total)),
    worstMs: ms(Math.max(...times.total)),
    mainThreadCpuMs: { median: ms(median(cpuStages.total)), worst: ms(Math.max(...cpuStages.total)), decodeJoin: ms(median(cpuStages.decodeJoin)), featuresInferenceAlerts: ms(median(cpuStages.score)), encodeToSink: ms(median(cpuStages.encode)) },
    processCpuMsMedian: ms(median(times.cpu)),
    wallStagesMedianMs: { decodeJoin: ms(median(times.decodeJoin)), featuresInferenceAlerts: ms(median(times.score)), encodeToSink: ms(median(times.encode)) },
    perMinute: { scores: counts.scores / measured, explained: counts.explained / measured, alertEvents: counts.alerts / measured, levels: Object.fromEntries(Object.entries(counts.levels).map(([k, v]) => [k, v / measured])) },
    invalid: counts.invalid,
    target: `< ${TARGET_MS} ms`,
    metByWall: median(times.total) < TARGET_MS,
    metByCpu: median(cpuStages.total) < TARGET_MS,
  };
}

/** Inference alone: `rows` random-but-plausible rows (the bench's own feature rows), best and median of 7. */
async function inferenceAlone(rows: number) {
  const table = new InMemoryWeatherTable();
  const p = new RiskPipeline({ network, spec, assembler, weather: table, model: new ModelSlot(model) });
  const end = START + 60_000;
  for (const o of weatherAt(network, end - 30_000)) table.upsert(o);
  const [minute] = minuteStats(network, end).flatMap((r) => p.add(r, end).emitted);
  const batch = p.features.build(minute, table).data;
  const data = new Float32Array(rows * spec.features.length);
  for (let off = 0; off < data.length; off += batch.length) data.set(batch.subarray(0, Math.min(batch.length, data.length - off)), off);
  await model.score(data, rows);
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const a = performance.now();
    await model.score(data, rows);
    times.push(performance.now() - a);
  }
  return { rows, bestMs: ms(Math.min(...times)), medianMs: ms(median(times)), rowsPerS: Math.round(rows / (median(times) / 1000)) };
}

const configs: Config[] = [
  { name: 'factors from high up, no features in the records', scores: { factorsMinLevel: 'high' }, includeFeatures: false },
  { name: 'factors from elevated up, no features in the records', scores: { factorsMinLevel: 'elevated' }, includeFeatures: false },
  { name: 'factors from elevated up, features by name (the runner\'s default)', scores: { factorsMinLevel: 'elevated' }, includeFeatures: true },
  { name: 'factors for every score (the default factorsMinLevel low)', scores: { factorsMinLevel: 'low' }, includeFeatures: false },
];
const results = [];
// A fourth argument runs only the configurations whose name contains it (e.g. "no features").
const only = process.argv[4];
for (const c of configs.filter((x) => only === undefined || x.name.includes(only))) results.push(await runConfig(c, c.scores.factorsMinLevel === 'low' ? Math.min(3, minutes) : minutes));
const inference = [await inferenceAlone(segments), await inferenceAlone(2 * segments)];
await model.release();
console.log(JSON.stringify({ bench: 'score', segments: network.segments.length, model: model.version, setupSeconds: Math.round(setupSeconds * 10) / 10, results, inference, sink }));

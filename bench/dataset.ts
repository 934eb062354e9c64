// `saferoads dataset` without the disk: simulated day-runs (traffic with weather effects, the
// traffic-stats stage, context features, row building, the crash process and CSV formatting) into
// a sink that only counts bytes. One core. Usage: node --import tsx bench/dataset.ts [runs] [minutes]
import { Writable } from 'node:stream';
import { loadFeatureSpec } from '@saferoads/model-spec';
import { loadNetwork } from '@saferoads/shared/network';
import { generateDataset } from '@saferoads/crashes/dataset';

const runs = Number(process.argv[2] ?? 2);
const minutes = Number(process.argv[3] ?? 1440);
let bytes = 0;
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    bytes += chunk.length;
    done();
  },
});
const network = loadNetwork();
const spec = loadFeatureSpec();
const perRun: number[] = [];
const t0 = performance.now();
const s = await generateDataset({ network, spec, seed: 1, runs, minutes, out: sink, onRun: (_p, _c, ms) => perRun.push(Math.round(ms) / 1000) });
const seconds = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify({
    bench: 'dataset',
    runs,
    minutes,
    rows: s.rows,
    detections: s.detections,
    crashes: s.crashes,
    seconds: Math.round(seconds * 100) / 100,
    perRunSeconds: perRun,
    rowsPerS: Math.round(s.rows / seconds),
    detectionsPerS: Math.round(s.detections / seconds),
    csvMBPerS: Math.round((bytes / 2 ** 20 / seconds) * 10) / 10,
  }),
);

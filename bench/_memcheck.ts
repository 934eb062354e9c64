import { TrafficStatsStage } from '@saferoads/traffic-stats';
import { benchNetwork, syntheticDetections } from './synthetic.js';
const net = benchNetwork(10000, 3);
const g = (globalThis as unknown as { gc: () => void }).gc;
g();
const m0 = process.memoryUsage();
const stage = new TrafficStatsStage({ network: net, sink: { stats: () => {}, late: () => {}, rejected: () => {} } });
stage.open(0);
g();
const m1 = process.memoryUsage();
let i = 0;
for (const d of syntheticDetections(net, Date.UTC(2026, 2, 10, 7, 0, 0), 15)) { stage.process(d, 0); if (++i % 2000000 === 0) { g(); const m = process.memoryUsage(); console.log(i, 'heap', Math.round(m.heapUsed/2**20), 'ab', Math.round(m.arrayBuffers/2**20), 'rss', Math.round(m.rss/2**20)); } }
console.log('baseline heap', Math.round(m0.heapUsed/2**20), 'rss', Math.round(m0.rss/2**20), '| stage heap +', Math.round((m1.heapUsed-m0.heapUsed)/2**20), 'ab +', Math.round((m1.arrayBuffers-m0.arrayBuffers)/2**20), 'rss', Math.round(m1.rss/2**20));

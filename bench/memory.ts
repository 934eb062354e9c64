// Peak RSS of the stage with 10,000 segments x 3 lanes and both windows live (input generated lazily).
import { TrafficStatsStage } from '@saferoads/traffic-stats';
import { benchNetwork, syntheticDetections } from './synthetic.js';

const segments = Number(process.argv[2] ?? 10_000);
const minutes = Number(process.argv[3] ?? 15);
const net = benchNetwork(segments, 3);
let records = 0;
let detections = 0;
const stage = new TrafficStatsStage({ network: net, sink: { stats: () => records++, late: () => undefined, rejected: () => undefined } });
for (const d of syntheticDetections(net, Date.UTC(2026, 2, 10, 7, 0, 0), minutes)) {
  stage.process(d, 0);
  detections++;
}
const live = process.memoryUsage();
stage.flush();
console.log(
  JSON.stringify({
    bench: 'memory',
    segments,
    lanes: 3,
    minutes,
    detections,
    records,
    heapUsedMB: Math.round(live.heapUsed / 2 ** 20),
    rssMB: Math.round(live.rss / 2 ** 20),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);

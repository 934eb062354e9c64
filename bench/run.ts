// `npm run bench`: every benchmark in a fresh process (so one's heap does not colour another's),
// printed as JSON lines. Figures and the machine go into docs/benchmarks.md.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

const benches: { name: string; args: string[]; env?: Record<string, string> }[] = [
  { name: 'window stage, 10,000 segments x 3 lanes', args: ['--import', 'tsx', 'bench/window-stage.ts', '10000', '6'] },
  { name: 'window stage, 1,000 segments x 3 lanes', args: ['--import', 'tsx', 'bench/window-stage.ts', '1000', '30'] },
  { name: 'peak memory, 10,000 segments x 3 lanes, 15 minutes', args: ['--max-old-space-size=128', '--max-semi-space-size=4', '--import', 'tsx', 'bench/memory.ts', '10000', '15'] },
  { name: 'saferoads stats end to end vs read + JSON.parse', args: ['--import', 'tsx', 'bench/stats-e2e.ts'] },
  { name: 'context features, bundled network and 10,008 segments', args: ['--import', 'tsx', 'bench/context-features.ts'] },
  { name: 'saferoads dataset, 2 simulated days, one core', args: ['--import', 'tsx', 'bench/dataset.ts', '2', '1440'] },
  { name: 'dashboard map in headless Chromium, 10,000 segments, 30 minutes of score updates', args: ['--import', 'tsx', 'bench/dashboard.ts', '10000', '30'] },
  { name: 'risk scorer, 40,000 segments, a minute from stats records to scores on one core', args: ['--import', 'tsx', 'bench/score.ts', '40000', '5'] },
  {
    name: 'alert API, 10,008 segments on PGlite and on a PostgreSQL server: segments (whole, gzip, 304, geometry, scores) and alerts (autocannon), live stream to 500 clients',
    args: ['--import', 'tsx', 'bench/alert-api.ts', '139', '10', '10', '500', '200', 'pglite,postgres'],
  },
  // The services' own V8 setting (package.json start:* scripts, docker-compose.yml).
  { name: 'pipeline end to end, 2,400 simulated minutes, one detection a record, Kafka and in-process', args: ['--max-semi-space-size=64', '--import', 'tsx', 'bench/pipeline-e2e.ts', '2400', 'both'] },
  { name: 'pipeline end to end, 2,400 simulated minutes, packed 500 a record, Kafka and in-process', args: ['--max-semi-space-size=64', '--import', 'tsx', 'bench/pipeline-e2e.ts', '2400', 'both'], env: { BENCH_PACK: '500' } },
];
const only = process.argv[2];
console.log(`# ${os.cpus()[0]?.model ?? 'unknown cpu'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
for (const b of benches) {
  if (only && !b.name.includes(only)) continue;
  console.log(`# ${b.name}: node ${b.args.join(' ')}`);
  process.stdout.write(execFileSync('node', b.args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...b.env } }));
}

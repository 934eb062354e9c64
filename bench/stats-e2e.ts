// `saferoads stats` end to end (NDJSON in, NDJSON out) against merely reading and JSON-parsing
// the same input in Node. Both run as fresh processes on a simulated file, alternately, five
// times each; the ratio is of the medians (wall time), and of the medians of the processes' CPU
// time (user + system, which on a shared VM leaves out time other processes held the cores).
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

const dir = '.bench-tmp';
const input = `${dir}/detections-600min.ndjson`;
mkdirSync(dir, { recursive: true });
if (!existsSync(input)) {
  execFileSync('node', ['bin/saferoads.js', 'simulate', '--seed', '1', '--start', '2026-03-10T05:00:00Z', '--minutes', '600', '--no-progress', '--out', input], { stdio: 'inherit' });
}
// The CLI runs from its bundle only when the bundle is current (bin/saferoads.js): build it, so
// that an edit since the last build does not measure the TypeScript sources through tsx instead.
execFileSync('node', ['scripts/build-cli.mjs'], { stdio: 'inherit' });
const lines = Number(execFileSync('wc', ['-l', input]).toString().trim().split(' ')[0]);

const baseline = `
const fs = require('node:fs');
let rest = '', n = 0;
const s = fs.createReadStream(process.argv[1]);
s.on('data', (c) => {
  const t = rest + c;
  let from = 0, nl;
  while ((nl = t.indexOf('\\n', from)) !== -1) { JSON.parse(t.slice(from, nl)); n++; from = nl + 1; }
  rest = t.slice(from);
});
s.on('end', () => process.stderr.write(n + ' parsed\\n'));`;

function time(args: string[], stdinFile?: string): { wall: number; cpu: number } {
  const stdin = stdinFile ? openSync(stdinFile, 'r') : 'ignore';
  const t0 = process.hrtime.bigint();
  const r = spawnSync('node', ['--import', './bench/cpu-report.mjs', ...args], { stdio: [stdin, 'ignore', 'pipe'] });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (typeof stdin === 'number') closeSync(stdin);
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr.toString()}`);
  const cpu = Number(/cpu-seconds=([\d.]+)/.exec(r.stderr.toString())?.[1]);
  return { wall, cpu };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const parse: { wall: number; cpu: number }[] = [];
const stats: { wall: number; cpu: number }[] = [];
for (let i = 0; i < 5; i++) {
  parse.push(time(['-e', baseline, input]));
  stats.push(time(['bin/saferoads.js', 'stats', '--quiet'], input));
}
const [parseWall, statsWall] = [median(parse.map((t) => t.wall)), median(stats.map((t) => t.wall))];
const [parseCpu, statsCpu] = [median(parse.map((t) => t.cpu)), median(stats.map((t) => t.cpu))];
console.log(
  JSON.stringify({
    bench: 'stats-e2e',
    at: new Date().toISOString().slice(0, 16) + 'Z',
    lines,
    megabytes: +(statSync(input).size / 1e6).toFixed(1),
    readAndParseSeconds: +parseWall.toFixed(2),
    statsSeconds: +statsWall.toFixed(2),
    ratio: +(statsWall / parseWall).toFixed(2),
    readAndParseCpuSeconds: +parseCpu.toFixed(2),
    statsCpuSeconds: +statsCpu.toFixed(2),
    cpuRatio: +(statsCpu / parseCpu).toFixed(2),
    statsLinesPerSecond: Math.round(lines / statsWall),
  }),
);

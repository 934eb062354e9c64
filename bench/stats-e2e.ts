// `saferoads stats` end to end (NDJSON in, NDJSON out) against merely reading and JSON-parsing
// the same input in Node. Both run as fresh processes on a simulated file; median of 3 runs each.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

const dir = '.bench-tmp';
const input = `${dir}/detections-600min.ndjson`;
mkdirSync(dir, { recursive: true });
if (!existsSync(input)) {
  execFileSync('node', ['bin/saferoads.js', 'simulate', '--seed', '1', '--start', '2026-03-10T05:00:00Z', '--minutes', '600', '--no-progress', '--out', input], { stdio: 'inherit' });
}
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

function time(args: string[], stdinFile?: string): number {
  const stdin = stdinFile ? openSync(stdinFile, 'r') : 'ignore';
  const t0 = process.hrtime.bigint();
  const r = spawnSync('node', args, { stdio: [stdin, 'ignore', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (typeof stdin === 'number') closeSync(stdin);
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return seconds;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const parse = median([0, 1, 2].map(() => time(['-e', baseline, input])));
const stats = median([0, 1, 2].map(() => time(['bin/saferoads.js', 'stats', '--quiet'], input)));
console.log(
  JSON.stringify({
    bench: 'stats-e2e',
    lines,
    megabytes: +(statSync(input).size / 1e6).toFixed(1),
    readAndParseSeconds: +parse.toFixed(2),
    statsSeconds: +stats.toFixed(2),
    ratio: +(stats / parse).toFixed(2),
    statsLinesPerSecond: Math.round(lines / stats),
  }),
);

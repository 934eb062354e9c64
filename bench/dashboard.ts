// The dashboard's map in headless Chromium: a minute of 10,000 score updates applied through the
// page's per-frame batcher and score table, and the map redrawn (dashboards/bench/map-bench.ts).
// Prints one JSON line. Usage: node --import tsx bench/dashboard.ts [segments] [minutes]
import { build } from 'esbuild';
import { launchChromium } from '../dashboards/test/browser.js';

/** dashboards/bench/map-bench.ts's answer (not imported: that file is typed for the browser). */
interface BenchResult {
  segments: number;
  vertices: number;
  prepareMs: number;
  pushMs: number[];
  applyMs: number[];
  drawMs: number[];
  frameMs: number[];
  idleDrawMs: number[];
  panMs: number[];
}

const segments = Number(process.argv[2] ?? 10_000);
const minutes = Number(process.argv[3] ?? 30);
const bundle = await build({ entryPoints: [new URL('../dashboards/bench/map-bench.ts', import.meta.url).pathname], bundle: true, format: 'iife', platform: 'browser', target: 'chrome120', write: false, logLevel: 'warning' });
const browser = await launchChromium({ width: 1600, height: 900 });
try {
  const page = await browser.context.newPage();
  await page.setContent(`<!doctype html><html><body style="margin:0;background:#000"><script>${bundle.outputFiles[0].text}</script></body></html>`);
  const r = (await page.evaluate(`window.mapBench(${segments}, ${minutes})`)) as BenchResult;
  const stats = (xs: number[]) => {
    // The first minute warms the JIT and the canvas up: left out.
    const v = xs.slice(1).sort((a, b) => a - b);
    const q = (p: number) => v[Math.min(v.length - 1, Math.floor(p * v.length))];
    return { median: +q(0.5).toFixed(2), p95: +q(0.95).toFixed(2), max: +v[v.length - 1].toFixed(2) };
  };
  const version = browser.context.browser()?.version() ?? String(await page.evaluate('navigator.userAgent'));
  console.log(JSON.stringify({ bench: 'dashboard map', chromium: version, segments: r.segments, vertices: r.vertices, minutes, prepareMs: +r.prepareMs.toFixed(1), pushMs: stats(r.pushMs), applyMs: stats(r.applyMs), drawMs: stats(r.drawMs), frameMs: stats(r.frameMs), idleDrawMs: stats(r.idleDrawMs), panMs: stats(r.panMs) }));
} finally {
  await browser.close();
}

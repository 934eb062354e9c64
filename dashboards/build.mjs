// Builds the page into dashboards/dist (gitignored): app.js and app.css bundled by esbuild, with
// every dependency inside (uplot, flatbush, eventsource-parser), and index.html. No CDN, font or
// tile is fetched at run time. Run by the root package's prepare (npm ci) and build scripts.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';

const here = new URL('./', import.meta.url).pathname;
const outdir = `${here}dist/`;

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
await build({
  entryPoints: { app: `${here}src/main.ts` },
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome120', 'firefox120', 'safari17'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
});
await copyFile(`${here}src/index.html`, `${outdir}index.html`);

// Bundles the CLI's TypeScript, and the few plain-JavaScript npm packages `saferoads stats` loads,
// into dist/cli/, one chunk per command. bin/saferoads.js runs the bundle when it is newer than
// every file bundled into it (listed in dist/cli/inputs.json) and falls back to tsx otherwise:
// loading ~80 modules through tsx's hooks costs more start-up time than the work of a short
// `saferoads stats` run. dist/ is built per clone (npm's prepare) and never committed.
import { build } from 'esbuild';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('../', import.meta.url).pathname;
const outdir = `${root}dist/cli/`;

/**
 * npm packages bundled in, with whatever they import: each is plain JavaScript without files of
 * its own to find at run time, and loading them as separate modules (ajv alone is ~70 CommonJS
 * files) was about a third of `saferoads stats`' start-up. Everything else (kafkajs, pino with its
 * worker threads, fastify, ...) loads natively.
 */
const BUNDLED = new Set(['ajv', '@sinclair/typebox', '@turf/helpers', '@turf/length', '@turf/distance', 'commander']);
const packageName = (path) => path.split('/').slice(0, path.startsWith('@') ? 2 : 1).join('/');

const plugin = {
  name: 'saferoads',
  setup(b) {
    // Workspace packages and BUNDLED packages (and what those import) are bundled. Other npm
    // packages load natively, each pinned to the file it resolves to from its importer, because
    // from dist/ a bare name would find the root node_modules' copy (ajv 6 for eslint, where
    // services/shared needs ajv 8).
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith('@saferoads/') || args.path.startsWith('node:') || args.pluginData === 'inner') return undefined;
      if (BUNDLED.has(packageName(args.path)) || args.importer.includes('/node_modules/')) return undefined;
      const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'inner' });
      if (r.errors.length > 0 || r.external) return { path: args.path, external: true };
      return { path: r.path, external: true };
    });
    // Files find their data next to their source (import.meta.url), not next to the bundle.
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { main: `${root}cli/main.ts` },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [plugin],
  // Bundled CommonJS packages require Node's built-ins; an ES module has no `require` of its own.
  banner: { js: "import { createRequire as __saferoadsRequire } from 'node:module'; const require = __saferoadsRequire(import.meta.url);" },
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
// What the bundle was built from, for bin/saferoads.js to tell whether it is current: our source
// files, and the package.json of each bundled npm package (rewritten when it is reinstalled).
const inputs = new Set();
for (const p of Object.keys(result.metafile.inputs)) {
  const path = relative(root, `${process.cwd()}/${p}`);
  const pkg = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(path);
  inputs.add(pkg ? `${pkg[1]}/package.json` : path);
}
await writeFile(`${outdir}inputs.json`, `${JSON.stringify([...inputs].sort(), null, 1)}\n`);

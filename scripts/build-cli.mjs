// Bundles the CLI's TypeScript (not its npm dependencies) into dist/cli/, one chunk per command.
// bin/saferoads.js runs the bundle when it is newer than every source file and falls back to tsx
// otherwise: loading ~80 modules through tsx's hooks costs more start-up time than the work of a
// short `saferoads stats` run. dist/ is built per clone (npm's prepare) and never committed.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

const root = new URL('../', import.meta.url).pathname;
const outdir = `${root}dist/cli/`;

const plugin = {
  name: 'saferoads',
  setup(b) {
    // npm packages load natively at run time; only our workspace packages are bundled. Each is
    // pinned to the file it resolves to from its importer, because from dist/ a bare name would
    // find the root node_modules' copy (ajv 6 for eslint, where services/shared needs ajv 8).
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith('@saferoads/') || args.path.startsWith('node:') || args.pluginData === 'inner') return undefined;
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
await build({
  entryPoints: { main: `${root}cli/main.ts` },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [plugin],
  sourcemap: 'linked',
  logLevel: 'warning',
});

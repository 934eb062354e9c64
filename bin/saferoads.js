#!/usr/bin/env node
// Runs the CLI from its bundle (dist/cli, built by `npm ci` through the prepare script) when the
// bundle is newer than every file it was built from, else straight from the TypeScript sources
// through tsx: the bundle starts in a fraction of the time, the sources are always current.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'dist/cli/main.js');

/**
 * The build lists what it bundled (dist/cli/inputs.json): checking those files, rather than every
 * source file of the repository, is quicker, and an edit elsewhere (a service the CLI does not
 * load) leaves the bundle in use. A file it imports anew is only imported by an edited one.
 */
function bundleIsFresh() {
  try {
    const built = statSync(bundle).mtimeMs;
    const inputs = JSON.parse(readFileSync(join(root, 'dist/cli/inputs.json'), 'utf8'));
    return inputs.every((p) => statSync(join(root, p)).mtimeMs <= built);
  } catch {
    // No bundle, an older one without its list, or an input gone: the sources are the truth.
    return false;
  }
}

if (bundleIsFresh()) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
}

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The bundled OASIS schema (schemas/cap/NOTICE.md). */
export const CAP_XSD = fileURLToPath(new URL('../../schemas/cap/CAP-v1.2.xsd', import.meta.url));

export interface XmllintResult {
  readonly ok: boolean;
  readonly output: string;
}

/**
 * Runs Debian's xmllint on `xml` (from standard input, never the network), against `xsd` when
 * given, else for well-formedness only. .ci/run installs it when missing.
 */
export function xmllint(xml: string, xsd?: string): XmllintResult {
  const args = ['--noout', '--nonet', ...(xsd ? ['--schema', xsd] : []), '-'];
  const r = spawnSync('xmllint', args, { input: xml, encoding: 'utf8' });
  if (r.error) throw new Error(`xmllint could not run (apt-get install libxml2-utils): ${r.error.message}`);
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}

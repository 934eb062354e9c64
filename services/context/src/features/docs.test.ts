import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONTEXT_FEATURES } from './names.js';

const DOC = fileURLToPath(new URL('../../../../docs/context-features.md', import.meta.url));

describe('docs/context-features.md', () => {
  it('lists every feature in column order with its unit', () => {
    const rows = readFileSync(DOC, 'utf8')
      .split('\n')
      .map((line) => /^\| (\d+) \| `(\w+)` \| ([^|]+) \|/.exec(line))
      .filter((m) => m !== null)
      .map((m) => [Number(m[1]), m[2], m[3].trim()]);
    expect(rows).toEqual(CONTEXT_FEATURES.map((f, i) => [i, f.name, f.unit]));
  });
});

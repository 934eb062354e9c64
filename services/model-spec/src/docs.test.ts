import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFeatureSpec } from './spec/parse.js';
import { SOURCE_KINDS } from './spec/types.js';

const DOC = readFileSync(fileURLToPath(new URL('../../../docs/model.md', import.meta.url)), 'utf8');

describe('docs/model.md', () => {
  it('describes every source kind, in the code\'s order', () => {
    const kinds = [...DOC.matchAll(/^\| `(\w+)` \| (?:`\w+`|`neighbour`)/gm)].map((m) => m[1]).filter((k) => (SOURCE_KINDS as readonly string[]).includes(k));
    expect(kinds).toEqual(SOURCE_KINDS);
  });

  it('gives the committed spec\'s version and size', () => {
    const spec = loadFeatureSpec();
    expect(DOC).toContain(`Spec ${spec.specVersion} has ${spec.features.length} inputs`);
  });
});

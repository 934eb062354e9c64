import { copyFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFeatureSpec } from '@saferoads/model-spec';
import { createLogger } from '@saferoads/shared/logger';
import { loadOnnxModel } from '../model/onnx-scorer.js';
import { modelFiles } from './model-files.js';
import { ModelReloader, type ReloadOutcome } from './model-reloader.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const spec = loadFeatureSpec();
const silent = createLogger('test', { destination: new Writable({ write: (_c, _e, cb) => cb() }) });

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'risk-reloader-'));
  const files = modelFiles(join(dir, 'm.onnx'));
  const put = (fixture: string) => {
    copyFileSync(join(FIXTURES, `${fixture}.onnx`), files.modelPath);
    copyFileSync(join(FIXTURES, `${fixture}.json`), files.metadataPath);
  };
  const seen: ReloadOutcome[] = [];
  const open = () => ModelReloader.open({ slot: 'live', files, log: silent, load: (f) => loadOnnxModel(f, spec), onReload: (r) => seen.push(r) });
  return { dir, files, put, seen, open };
}

describe('ModelReloader', () => {
  it('loads a change on the second check that sees it unchanged, or at once when forced; a touch is no change', async () => {
    const { files, put, seen, open } = setup();
    put('tiny-logistic');
    const r = await open();
    utimesSync(files.modelPath, new Date(), new Date(Date.now() + 5_000));
    expect(await r.check()).toBeNull();
    expect(await r.check()).toBeNull();
    put('tiny-logistic-v2');
    expect(await r.check()).toBeNull();
    expect(r.model.current.version).toBe('tiny-logistic-1');
    expect(await r.check()).toEqual({ outcome: 'accepted', slot: 'live', from: 'tiny-logistic-1', to: 'tiny-logistic-2' });
    put('tiny-logistic');
    expect(await r.check({ force: true })).toEqual({ outcome: 'accepted', slot: 'live', from: 'tiny-logistic-2', to: 'tiny-logistic-1' });
    expect(seen).toHaveLength(2);
    await r.close();
  });

  it('refuses a model that does not fit, once per content, keeps the running one, and takes a good one after', async () => {
    const { files, put, seen, open } = setup();
    put('tiny-logistic');
    const r = await open();
    put('tiny-narrow');
    const refused = await r.check({ force: true });
    expect(refused).toMatchObject({ outcome: 'refused', kept: 'tiny-logistic-1' });
    expect(refused?.outcome === 'refused' && refused.problems).toEqual([
      'input.shape: the model takes 88 features, the spec has 89',
      'features: the model lists 88 features, the spec has 89',
      'testVectors.inputs[0]: 88 values, the spec has 89 features',
    ]);
    expect(await r.check()).toBeNull();
    expect(await r.check({ force: true })).toBeNull();
    expect(r.model.current.version).toBe('tiny-logistic-1');
    // Half-way through a replacement: one file missing is no model, and no refusal.
    rmSync(files.metadataPath);
    expect(await r.check({ force: true })).toBeNull();
    put('tiny-logistic-v2');
    expect(await r.check({ force: true })).toMatchObject({ outcome: 'accepted', to: 'tiny-logistic-2' });
    expect(seen.map((s) => s.outcome)).toEqual(['refused', 'accepted']);
    await r.close();
  });

  it('refuses to start on a model it cannot accept, naming the problem', async () => {
    const { files, open } = setup();
    await expect(open()).rejects.toThrow(`model ${files.modelPath} refused: cannot read the model files: ENOENT`);
    writeFileSync(files.modelPath, 'not onnx');
    writeFileSync(files.metadataPath, '{}');
    await expect(open()).rejects.toThrow(/refused: metadata .*m\.json: /);
  });
});

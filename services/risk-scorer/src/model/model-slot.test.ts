import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFeatureSpec } from '@saferoads/model-spec';
import { ModelRejectedError } from './errors.js';
import { ModelSlot, type ReleasableModel } from './model-slot.js';
import { loadOnnxModel } from './onnx-scorer.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const spec = loadFeatureSpec();
const W = spec.features.length;
const rows = new Float32Array(2 * W).fill(0.5);

describe('ModelSlot with ONNX models', () => {
  it('swaps in a valid model; refuses a bad one with a clear error while the running one keeps scoring', async () => {
    const v1 = await loadOnnxModel({ modelPath: join(FIXTURES, 'tiny-logistic.onnx') }, spec);
    const slot = new ModelSlot(v1);
    const before = await slot.use((m) => m.score(rows, 2));

    const ok = await slot.swap(() => loadOnnxModel({ modelPath: join(FIXTURES, 'tiny-logistic-v2.onnx') }, spec));
    expect(ok).toEqual({ ok: true, from: 'tiny-logistic-1', to: 'tiny-logistic-2' });
    expect(slot.current.version).toBe('tiny-logistic-2');
    const after = await slot.use((m) => m.score(rows, 2));
    expect(after[0]).not.toBe(before[0]);

    // A model file whose metadata lost its test vectors' agreement: refused, v2 stays.
    const dir = mkdtempSync(join(tmpdir(), 'risk-slot-'));
    copyFileSync(join(FIXTURES, 'tiny-logistic.onnx'), join(dir, 'bad.onnx'));
    const meta = (await import(join(FIXTURES, 'tiny-logistic.json'), { with: { type: 'json' } })) as { default: { testVectors: { expected: number[] } } };
    const edited = structuredClone(meta.default);
    edited.testVectors.expected[0] = 0.9;
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(edited));
    const refused = await slot.swap(() => loadOnnxModel({ modelPath: join(dir, 'bad.onnx') }, spec));
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.kept).toBe('tiny-logistic-2');
    expect(refused.error).toBeInstanceOf(ModelRejectedError);
    expect(refused.error.message).toMatch(/refused: testVectors\[0\]: expected 0\.9, the model gives 0\.0\d+ \(off by 8\.\d\de-1, tolerance 0\.000001\)$/);
    expect([...(await slot.use((m) => m.score(rows, 2)))]).toEqual([...after]);
    await slot.close();
  });
});

describe('ModelSlot: hand-over', () => {
  function fake(version: string, log: string[]): ReleasableModel & { gate: () => void } {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    return {
      version,
      width: 1,
      reference: new Float32Array(1),
      gate: () => open(),
      score: async (_b: Float32Array, n: number) => {
        log.push(`${version} scoring`);
        await gate;
        log.push(`${version} scored`);
        return new Float32Array(n);
      },
      release: () => {
        log.push(`${version} released`);
        return Promise.resolve();
      },
    };
  }

  it('a use in progress finishes on the model it began with; the old model is released after it, not before', async () => {
    const log: string[] = [];
    const a = fake('a', log);
    const b = fake('b', log);
    const slot = new ModelSlot(a);
    const inFlight = slot.use((m) => m.score(new Float32Array(1), 1).then(() => m.version));
    await slot.swap(() => Promise.resolve(b));
    log.push('swapped');
    expect(slot.current.version).toBe('b');
    a.gate();
    expect(await inFlight).toBe('a');
    expect(log).toEqual(['a scoring', 'swapped', 'a scored', 'a released']);
  });

  it('an idle model is released at the swap; swaps run one at a time in order', async () => {
    const log: string[] = [];
    const slot = new ModelSlot(fake('a', log));
    const results = await Promise.all([
      slot.swap(() => Promise.resolve(fake('b', log))),
      slot.swap(() => Promise.reject(new Error('broken file'))),
      slot.swap(() => Promise.resolve(fake('c', log))),
    ]);
    expect(results.map((r) => (r.ok ? `${r.from}->${r.to}` : `kept ${r.kept}: ${r.error.message}`))).toEqual(['a->b', 'kept b: broken file', 'b->c']);
    expect(log).toEqual(['a released', 'b released']);
  });
});

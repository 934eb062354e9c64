import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContextFeatureAssembler, InMemoryWeatherTable } from '@saferoads/context';
import { loadFeatureSpec } from '@saferoads/model-spec';
import { loadNetwork, DEFAULT_NETWORK_PATH } from '@saferoads/shared/network';
import { RiskPipeline, type ScoredMinute } from '../pipeline.js';
import { MINUTE_MS, stats, T0 } from '../testing/index.js';
import { ModelSlot } from './model-slot.js';
import { loadOnnxModel } from './onnx-scorer.js';

const MODELS = fileURLToPath(new URL('../../../../models/', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const spec = loadFeatureSpec();

describe('the committed model, models/risk-v1.onnx', () => {
  it('is accepted (metadata fits the spec, its 48 test vectors pass), and swaps with the test model both ways', async () => {
    const v1 = await loadOnnxModel({ modelPath: join(MODELS, 'risk-v1.onnx') }, spec);
    expect(v1.version).toBe('risk-v1');
    expect(v1.width).toBe(spec.features.length);
    const slot = new ModelSlot(v1);
    expect(await slot.swap(() => loadOnnxModel({ modelPath: join(FIXTURES, 'tiny-logistic.onnx') }, spec))).toEqual({ ok: true, from: 'risk-v1', to: 'tiny-logistic-1' });
    expect(await slot.swap(() => loadOnnxModel({ modelPath: join(MODELS, 'risk-v1.onnx') }, spec))).toEqual({ ok: true, from: 'tiny-logistic-1', to: 'risk-v1' });
    await slot.close();
  });

  it('scores a minute of the bundled network in one inference: a probability per segment, and factors', async () => {
    const network = loadNetwork(DEFAULT_NETWORK_PATH);
    const slot = new ModelSlot(await loadOnnxModel({ modelPath: join(MODELS, 'risk-v1.onnx') }, spec));
    const pipeline = new RiskPipeline({ network, spec, assembler: new ContextFeatureAssembler(network), weather: new InMemoryWeatherTable(), model: slot });
    const end = T0 + MINUTE_MS;
    const out: ScoredMinute[] = [];
    for (const s of network.segments) {
      for (const w of ['1m', '10m'] as const) {
        for (const minute of pipeline.add(stats(s.id, w, end, { speedStdKmh: s.index % 3 === 0 ? 25 : 8 }), 0).emitted) out.push(await pipeline.score(minute));
      }
    }
    expect(out).toHaveLength(1);
    expect(out[0].minute.reason).toBe('complete');
    expect(out[0].scores).toHaveLength(network.segments.length);
    for (const s of out[0].scores) {
      expect(s.modelVersion).toBe('risk-v1');
      expect(s.risk).toBeGreaterThan(0);
      expect(s.risk).toBeLessThan(1);
      expect(Number.isFinite(s.relativeRisk)).toBe(true);
      const total = s.factors.reduce((a, f) => a + f.share, 0);
      expect(total).toBeLessThanOrEqual(1 + 1e-9);
    }
    await slot.close();
  });
});

import { DEFAULT_MODEL_METADATA_PATH, DEFAULT_FEATURE_SPEC_PATH, loadFeatureSpec, type FeatureSpec } from '@saferoads/model-spec';
import { loadOnnxModel, ModelSlot, type OnnxModel } from '@saferoads/risk-scorer';

/** The committed model, models/risk-v1.onnx (its metadata models/risk-v1.json beside it). */
export const DEFAULT_MODEL_PATH = DEFAULT_MODEL_METADATA_PATH.replace(/\.json$/, '.onnx');
export { DEFAULT_FEATURE_SPEC_PATH };

/**
 * The spec and an accepted model, as the scorer service loads them: a model whose metadata, file
 * or test vectors do not fit the spec is refused with every problem listed (ModelRejectedError).
 */
export async function loadRiskModel(o: { model?: string; spec?: string }): Promise<{ spec: FeatureSpec; model: OnnxModel; slot: ModelSlot }> {
  const spec = loadFeatureSpec(o.spec ?? DEFAULT_FEATURE_SPEC_PATH);
  const model = await loadOnnxModel({ modelPath: o.model ?? DEFAULT_MODEL_PATH }, spec);
  return { spec, model, slot: new ModelSlot(model) };
}

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import ort from 'onnxruntime-node';
import type { FeatureSpec } from '@saferoads/model-spec';
import { formatFieldErrors } from '@saferoads/shared/contracts';
import { SaferoadsError } from '@saferoads/shared/errors';
import { metadataProblems, referenceRow, testVectorProblems } from './check.js';
import { ModelRejectedError } from './errors.js';
import { modelMetadataValidator, type ModelMetadata } from './metadata.js';
import type { ScoringModel } from './scorer.js';

export interface OnnxModelFiles {
  /** The ONNX file. */
  readonly modelPath: string;
  /** Its metadata; by default the model path with .json for .onnx. */
  readonly metadataPath?: string;
}

export interface OnnxModelOptions {
  /** onnxruntime's threads per inference (1: the scorer scales out by partitions, one core each). */
  readonly intraOpNumThreads?: number;
  /** Reference values by feature name, over the metadata's (a deployment's own reference conditions). */
  readonly reference?: Readonly<Record<string, number>>;
}

/** A model accepted by loadOnnxModel: scores through onnxruntime-node. */
export class OnnxModel implements ScoringModel {
  readonly version: string;
  readonly width: number;
  readonly reference: Float32Array;

  constructor(
    readonly files: Required<OnnxModelFiles>,
    readonly metadata: ModelMetadata,
    private readonly session: ort.InferenceSession,
    spec: FeatureSpec,
    reference?: Readonly<Record<string, number>>,
  ) {
    this.version = metadata.modelVersion;
    this.width = spec.features.length;
    this.reference = referenceRow({ ...metadata, reference: { ...metadata.reference, ...reference } }, spec);
  }

  async score(batch: Float32Array, rows: number): Promise<Float32Array> {
    const n = rows * this.width;
    if (!Number.isInteger(rows) || rows < 0 || batch.length < n) {
      throw new SaferoadsError('RECORD_INVALID', `a batch of ${rows} rows of ${this.width} features needs ${n} values, got ${batch.length}`);
    }
    if (rows === 0) return new Float32Array(0);
    const input = new ort.Tensor('float32', batch.length === n ? batch : batch.subarray(0, n), [rows, this.width]);
    const out = await this.session.run({ [this.metadata.input.tensor]: input }, [this.metadata.output.tensor]);
    const t = out[this.metadata.output.tensor];
    const dims = t.dims;
    if (t.type !== 'float32' || !(dims.length === 1 || (dims.length === 2 && dims[1] === 1)) || dims[0] !== rows) {
      throw new SaferoadsError('STATE_INVARIANT', `model ${this.version}: output ${this.metadata.output.tensor} is ${t.type} [${dims.join(', ')}], expected float32 [${rows}]`);
    }
    return t.data as Float32Array;
  }

  /** Frees the session: call once nothing scores with it any more. */
  release(): Promise<void> {
    return this.session.release();
  }
}

const read = async (modelPath: string, path: string, what: string): Promise<Buffer> => {
  try {
    return await readFile(path);
  } catch (err) {
    throw new ModelRejectedError(modelPath, [`cannot read the ${what}: ${(err as Error).message}`]);
  }
};

/**
 * Loads a model and accepts it only if it fits: its metadata against the spec (version,
 * fingerprint, tensors, feature count and names), the file against the metadata's sha256, the
 * graph's inputs and outputs, and its test vectors within their tolerance. Otherwise throws
 * ModelRejectedError listing every problem found.
 */
export async function loadOnnxModel(files: OnnxModelFiles, spec: FeatureSpec, opts: OnnxModelOptions = {}): Promise<OnnxModel> {
  const modelPath = files.modelPath;
  const metadataPath = files.metadataPath ?? modelPath.replace(/\.onnx$/, '') + '.json';
  const metaBytes = await read(modelPath, metadataPath, 'metadata');
  let json: unknown;
  try {
    json = JSON.parse(metaBytes.toString('utf8'));
  } catch (err) {
    throw new ModelRejectedError(modelPath, [`metadata ${metadataPath} is not JSON: ${(err as Error).message}`]);
  }
  const outline = modelMetadataValidator.check(json);
  if (!outline.ok) throw new ModelRejectedError(modelPath, [`metadata ${metadataPath}: ${formatFieldErrors(outline.errors)}`]);
  const meta = outline.value;
  const problems = metadataProblems(meta, spec);
  const names = new Set(spec.features.map((f) => f.name));
  for (const [name, v] of Object.entries(opts.reference ?? {})) {
    if (!names.has(name)) problems.push(`reference override ${name}: not a feature of the spec`);
    else if (!Number.isFinite(v)) problems.push(`reference override ${name}: ${v} is not a finite number`);
  }

  const bytes = await read(modelPath, modelPath, 'model file');
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (meta.model?.sha256 !== undefined && meta.model.sha256 !== sha) {
    problems.push(`model.sha256: the file's is ${sha.slice(0, 12)}, the metadata's ${meta.model.sha256.slice(0, 12)} (not the file the metadata describes)`);
  }
  if (problems.length > 0) throw new ModelRejectedError(modelPath, problems);

  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: opts.intraOpNumThreads ?? 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  } catch (err) {
    throw new ModelRejectedError(modelPath, [`onnxruntime cannot load it: ${(err as Error).message}`]);
  }
  const model = new OnnxModel({ modelPath, metadataPath }, meta, session, spec, opts.reference);
  try {
    const graph: string[] = [];
    if (!session.inputNames.includes(meta.input.tensor)) graph.push(`graph: no input "${meta.input.tensor}" (it has ${session.inputNames.join(', ')})`);
    if (!session.outputNames.includes(meta.output.tensor)) graph.push(`graph: no output "${meta.output.tensor}" (it has ${session.outputNames.join(', ')})`);
    const input = session.inputMetadata.find((m) => m.name === meta.input.tensor);
    if (input?.isTensor && input.shape.length === 2 && typeof input.shape[1] === 'number' && input.shape[1] !== model.width) {
      graph.push(`graph: input "${meta.input.tensor}" takes ${input.shape[1]} features, the spec has ${model.width}`);
    }
    if (graph.length > 0) throw new ModelRejectedError(modelPath, graph);
    const tv = meta.testVectors;
    const batch = new Float32Array(tv.inputs.length * model.width);
    tv.inputs.forEach((row, r) => batch.set(row, r * model.width));
    let got: Float32Array;
    try {
      got = await model.score(batch, tv.inputs.length);
    } catch (err) {
      throw new ModelRejectedError(modelPath, [`testVectors: the model fails to run them: ${(err as Error).message}`]);
    }
    const misses = testVectorProblems(meta, got);
    if (misses.length > 0) throw new ModelRejectedError(modelPath, misses);
    return model;
  } catch (err) {
    await session.release();
    throw err;
  }
}

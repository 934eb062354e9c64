/**
 * The committed model in Node: onnxruntime-node gives the Python model's scores on the test
 * vectors of models/risk-v1.json to their tolerance (1e-5), and the model fits the committed spec.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFeatureSpec } from '../spec/parse.js';
import { checkTestVectors, loadModelMetadata, modelCompatibilityProblems, type BatchRunner } from './metadata.js';

const files = loadModelMetadata();
const { metadata } = files;
const bytes = readFileSync(files.onnxPath);
let session: ort.InferenceSession;

const runner: BatchRunner = async (rows, count, width) => {
  const out = await session.run({ [metadata.input.tensor]: new ort.Tensor('float32', rows, [count, width]) });
  return out[metadata.output.tensor].data as Float32Array;
};

beforeAll(async () => {
  session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, executionProviders: ['cpu'] });
});

describe(`models/${metadata.modelVersion}`, () => {
  it('fits the committed feature spec: fingerprint, tensor names, width, horizon and file hash', () => {
    expect(modelCompatibilityProblems(metadata, loadFeatureSpec(), bytes)).toEqual([]);
  });

  it('has the input and output the metadata names: features float32 [N, 89] in, risk float32 [N] out', () => {
    expect(session.inputNames).toEqual([metadata.input.tensor]);
    expect(session.outputNames).toEqual([metadata.output.tensor]);
    expect(metadata.input).toEqual({ tensor: 'features', dtype: 'float32', shape: [null, 89] });
  });

  it('scores every test vector as the Python model does, to 1e-5', async () => {
    expect(metadata.testVectors.tolerance).toBe(1e-5);
    const report = await checkTestVectors(metadata, runner);
    expect(report.failures).toEqual([]);
    expect(report.vectors).toBe(metadata.testVectors.inputs.length);
    expect(report.vectors).toBeGreaterThanOrEqual(32);
    expect(report.worst).toBeLessThan(1e-5);
  });

  it('scores a batch as it scores each row alone', async () => {
    const v = metadata.testVectors.inputs;
    const width = metadata.input.shape[1];
    const all = await runner(Float32Array.from(v.flat()), v.length, width);
    for (let i = 0; i < v.length; i += 7) {
      const one = await runner(Float32Array.from(v[i]), 1, width);
      expect(one[0]).toBe(all[i]);
    }
  });
});

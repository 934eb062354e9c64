import { Type, type Static } from '@sinclair/typebox';
import { compileValidator } from '@saferoads/shared/contracts';

const hex64 = Type.String({ pattern: '^[0-9a-f]{64}$' });
const semver = Type.String({ pattern: '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)$' });

/**
 * What the scorer reads of a model's metadata file (`<model>.json` beside `<model>.onnx`, written
 * by models/training/train.py). Other fields (training, metrics, importance) are the model card's
 * and left alone.
 */
export const ModelMetadataSchema = Type.Object({
  modelVersion: Type.String({ minLength: 1, maxLength: 100 }),
  model: Type.Optional(Type.Object({ file: Type.Optional(Type.String({ minLength: 1 })), sha256: Type.Optional(hex64) })),
  /** The feature spec the model was trained on. */
  spec: Type.Object({ specVersion: semver, fingerprint: hex64 }),
  input: Type.Object({
    tensor: Type.String({ minLength: 1 }),
    dtype: Type.Optional(Type.Literal('float32')),
    /** [null (rows), features]. */
    shape: Type.Array(Type.Union([Type.Null(), Type.Integer({ minimum: 1 })]), { minItems: 2, maxItems: 2 }),
  }),
  output: Type.Object({ tensor: Type.String({ minLength: 1 }) }),
  /** The feature names in input order, when the producer lists them (checked against the spec's). */
  features: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  /** Reference value per feature name (e.g. the training data's medians); features not named take their spec default. */
  reference: Type.Optional(Type.Record(Type.String(), Type.Number())),
  /** The crash rates the model was trained at, relative to real ones (docs/model.md). */
  crashRateScale: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  /** Rows with the probability the model must give each: run before the model is accepted. */
  testVectors: Type.Object({
    tolerance: Type.Number({ minimum: 0, maximum: 0.01 }),
    inputs: Type.Array(Type.Array(Type.Number()), { minItems: 1 }),
    expected: Type.Array(Type.Number({ minimum: 0, maximum: 1 }), { minItems: 1 }),
  }),
});
export type ModelMetadata = Static<typeof ModelMetadataSchema>;

export const modelMetadataValidator = compileValidator(ModelMetadataSchema);

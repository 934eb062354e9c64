import { Type, type Static } from '@sinclair/typebox';
import { compileValidator, stringEnum } from './validate.js';

export const DetectorRefSchema = Type.Object({
  detectorId: Type.String({ minLength: 1, maxLength: 64 }),
  lane: Type.Integer({ minimum: 1, maximum: 16 }),
});
export type DetectorRef = Static<typeof DetectorRefSchema>;

/** Properties of one road segment: a GeoJSON LineString feature of the network file. */
export const SegmentPropertiesSchema = Type.Object(
  {
    segmentId: Type.String({ minLength: 1, maxLength: 64 }),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    road: Type.Optional(Type.String({ maxLength: 32 })),
    direction: Type.String({ minLength: 1, maxLength: 64 }),
    lanes: Type.Integer({ minimum: 1, maximum: 16 }),
    speedLimitKmh: Type.Number({ exclusiveMinimum: 0, maximum: 200 }),
    timezone: Type.String({ minLength: 1, maxLength: 64 }),
    country: Type.String({ pattern: '^[A-Z]{2}$' }),
    region: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
    detectors: Type.Array(DetectorRefSchema, { minItems: 0, maxItems: 32 }),
    /** Position of the detector station along the segment, 0..1 of its length. */
    detectorAt: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    /** 0 (very poor) .. 1 (new pavement). */
    surfaceQuality: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    area: Type.Optional(stringEnum(['urban', 'rural'])),
    structure: Type.Optional(stringEnum(['tunnel', 'bridge'])),
  },
  { $id: 'SegmentProperties' },
);
export type SegmentProperties = Static<typeof SegmentPropertiesSchema>;

export const segmentPropertiesValidator = compileValidator(SegmentPropertiesSchema);

/** An on- or off-ramp: a LineString feature that joins (on) or leaves (off) a mainline segment. */
export const RampPropertiesSchema = Type.Object(
  {
    rampId: Type.String({ minLength: 1, maxLength: 64 }),
    kind: stringEnum(['on', 'off']),
    segmentId: Type.String({ minLength: 1, maxLength: 64 }),
    name: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { $id: 'RampProperties' },
);
export type RampProperties = Static<typeof RampPropertiesSchema>;

export const rampPropertiesValidator = compileValidator(RampPropertiesSchema);

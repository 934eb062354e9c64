import { Type, type Static } from '@sinclair/typebox';
import { compileValidator } from './validate.js';

/** 2000-01-01 and 2100-01-01: anything outside is a broken controller clock, not traffic. */
export const MIN_EVENT_TS = 946_684_800_000;
export const MAX_EVENT_TS = 4_102_444_800_000;

/**
 * One vehicle passing one induction loop. `lane` 1 is the outermost (slow) lane.
 * `ts` is the event time at the loop in epoch milliseconds.
 */
export const DetectionSchema = Type.Object(
  {
    detectorId: Type.String({ minLength: 1, maxLength: 64 }),
    lane: Type.Integer({ minimum: 1, maximum: 16 }),
    ts: Type.Integer({ minimum: MIN_EVENT_TS, maximum: MAX_EVENT_TS }),
    speedKmh: Type.Number({ exclusiveMinimum: 0, maximum: 300 }),
    lengthM: Type.Number({ exclusiveMinimum: 0, maximum: 40 }),
    occupancyMs: Type.Optional(Type.Number({ minimum: 0, maximum: 600_000 })),
    gapS: Type.Optional(Type.Number({ minimum: 0, maximum: 86_400 })),
    seq: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
  },
  { $id: 'Detection' },
);
export type Detection = Static<typeof DetectionSchema>;

export const detectionValidator = compileValidator(DetectionSchema);
